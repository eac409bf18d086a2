#include "sandbox/limits.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/error.hpp"

namespace crucible::sandbox {
namespace {

TEST(Limits, DefaultsAreValid) {
  EXPECT_NO_THROW(Limits{}.validate());
}

void expect_invalid(const Limits& l, const std::string& field) {
  try {
    l.validate();
    FAIL() << "expected InvalidRequest for " << field;
  } catch (const InvalidRequest& e) {
    EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
  }
}

TEST(Limits, EachCeilingIsEnforcedAndNamed) {
  Limits l;
  l.cpu_seconds = 61;
  expect_invalid(l, "cpu_seconds");
  l = {};
  l.wall_seconds = 121;
  expect_invalid(l, "wall_seconds");
  l = {};
  l.memory_bytes = 5ull << 30;
  expect_invalid(l, "memory_bytes");
  l = {};
  l.processes = 5000;
  expect_invalid(l, "processes");
  l = {};
  l.open_files = 100000;
  expect_invalid(l, "open_files");
  l = {};
  l.file_size_bytes = 2ull << 30;
  expect_invalid(l, "file_size_bytes");
  l = {};
  l.output_bytes = 1ull << 30;
  expect_invalid(l, "output_bytes");
}

TEST(Limits, ZeroAndNegativeAreRejected) {
  Limits l;
  l.cpu_seconds = 0;
  expect_invalid(l, "cpu_seconds");
  l = {};
  l.wall_seconds = -1;
  expect_invalid(l, "wall_seconds");
  l = {};
  l.processes = 0;
  expect_invalid(l, "processes");
}

TEST(Limits, ClampedNeverExceedsCeilings) {
  Limits l;
  l.cpu_seconds = 1e9;
  l.memory_bytes = ~0ull;
  Limits c = l.clamped();
  EXPECT_NO_THROW(c.validate());
  EXPECT_EQ(c.cpu_seconds, 60);
}

TEST(Limits, JsonRoundTrip) {
  Limits l;
  l.cpu_seconds = 1.5;
  l.memory_bytes = 64 << 20;
  nlohmann::json j = l;
  Limits back = j.get<Limits>();
  EXPECT_EQ(back.cpu_seconds, 1.5);
  EXPECT_EQ(back.memory_bytes, 64u << 20);
}

TEST(Limits, JsonRejectsUnknownAndNonNumericFields) {
  EXPECT_THROW(nlohmann::json({{"cpu_secs", 1}}).get<Limits>(), InvalidRequest);
  EXPECT_THROW(nlohmann::json({{"cpu_seconds", "1"}}).get<Limits>(), InvalidRequest);
  EXPECT_THROW(nlohmann::json::array().get<Limits>(), InvalidRequest);
}

TEST(Limits, TableHasOneRowPerFieldWithAThreat) {
  EXPECT_EQ(limit_table().size(), 7u);
  for (const auto& row : limit_table()) {
    EXPECT_FALSE(row.threat.empty()) << row.field;
    EXPECT_GT(row.ceiling, row.default_value) << row.field;
    EXPECT_GT(row.floor, 0) << row.field;
    EXPECT_LT(row.floor, row.default_value) << row.field;
  }
}

// A memory limit the cgroup cannot take (below what it already holds) is the client's error,
// named with the floor, not a jail failure.
TEST(Limits, MemoryBelowTheFloorIsRefusedWithTheFloor) {
  Limits l;
  l.memory_bytes = 100;
  try {
    l.validate();
    FAIL() << "100 bytes accepted";
  } catch (const InvalidRequest& e) {
    EXPECT_EQ(std::string(e.what()),
              "limits.memory_bytes = 100 is below 1048576 bytes, the smallest allowed");
  }
  l.memory_bytes = 1 << 20;
  EXPECT_NO_THROW(l.validate());
}

// Clients send doubles: one far out of range, or negative, is refused before it is converted
// to an integer field (a conversion that would be undefined), and the message stays short.
TEST(Limits, SetChecksTheRangeBeforeConverting) {
  Limits l;
  for (double bad : {1e30, -1e30, -1.0, 0.0, 1e308})
    EXPECT_THROW(l.set("memory_bytes", bad), InvalidRequest) << bad;
  try {
    l.set("wall_seconds", 1e308);
  } catch (const InvalidRequest& e) {
    EXPECT_EQ(std::string(e.what()), "limits.wall_seconds = 1e+308 exceeds the ceiling 120 s");
  }
  EXPECT_EQ(l.memory_bytes, Limits{}.memory_bytes);  // untouched by the refusals
  l.set("memory_bytes", 64.0 * (1 << 20));
  EXPECT_EQ(l.memory_bytes, 64u << 20);
  EXPECT_THROW(l.set("memory", 1), InvalidRequest);
  EXPECT_THROW(nlohmann::json({{"memory_bytes", 1e30}}).get<Limits>(), InvalidRequest);
  EXPECT_THROW(nlohmann::json({{"open_files", -5}}).get<Limits>(), InvalidRequest);
}

}  // namespace
}  // namespace crucible::sandbox
