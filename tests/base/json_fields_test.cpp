// The one strict reader of config and request objects: types and ranges checked, the field
// named in every error, unknown fields refused with the known ones listed, untrusted keys
// quoted short.
#include <gtest/gtest.h>

#include <functional>

#include "base/error.hpp"
#include "base/json_fields.hpp"

namespace crucible {
namespace {

using nlohmann::json;

std::string error_of(const std::function<void()>& read) {
  try {
    read();
  } catch (const InvalidRequest& e) {
    return e.what();
  }
  return "accepted";
}

TEST(JsonFields, ReadsPresentFieldsAndLeavesAbsentOnesAlone) {
  json j = {{"n", 3}, {"lr", 0.5}, {"on", true}, {"mode", "serial"}, {"raw", {1, 2}}};
  JsonFields f(j, "cfg: ");
  size_t n = 0, absent = 7;
  double lr = 0;
  bool on = false;
  std::string mode;
  EXPECT_TRUE(f.count("n", 1, 10, n));
  EXPECT_FALSE(f.count("missing", 1, 10, absent));
  EXPECT_TRUE(f.number("lr", 0, 1, lr));
  EXPECT_TRUE(f.boolean("on", on));
  EXPECT_TRUE(f.text("mode", mode, {"parallel", "serial"}));
  ASSERT_NE(f.value("raw"), nullptr);
  EXPECT_NO_THROW(f.done());
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(absent, 7u);
  EXPECT_EQ(lr, 0.5);
  EXPECT_TRUE(on);
  EXPECT_EQ(mode, "serial");
}

TEST(JsonFields, ErrorsNameTheFieldAndWhatItMustBe) {
  auto read = [](json j) {
    return error_of([&] {
      JsonFields f(j, "train config: ");
      size_t n = 0;
      int64_t i = 0;
      double x = 0;
      bool b = false;
      std::string s;
      f.count("n", 1, 10, n);
      f.integer("i", -5, 5, i);
      f.number("x", 0, 1, x);
      f.boolean("b", b);
      f.text("s", s, {"a", "b"});
      f.done();
    });
  };
  EXPECT_EQ(read({{"n", 0}}), "train config: n must be an integer from 1 to 10");
  EXPECT_EQ(read({{"n", -1}}), "train config: n must be an integer from 1 to 10");
  EXPECT_EQ(read({{"n", 2.5}}), "train config: n must be an integer from 1 to 10");
  EXPECT_EQ(read({{"i", 9}}), "train config: i must be an integer from -5 to 5");
  EXPECT_EQ(read({{"x", "0.5"}}), "train config: x must be a number from 0 to 1");
  EXPECT_EQ(read({{"x", 2}}), "train config: x must be a number from 0 to 1");
  EXPECT_EQ(read({{"b", 1}}), "train config: b must be true or false");
  EXPECT_EQ(read({{"s", "c"}}), "train config: s must be one of a, b (got \"c\")");
  EXPECT_EQ(read({{"itertions", 3}}),
            "train config: itertions is not a known field (known: n, i, x, b, s)");
  EXPECT_EQ(read(json::array()), "train config: must be a JSON object");
  EXPECT_EQ(error_of([] { JsonFields f(json(3), ""); }), "the body must be a JSON object");
  EXPECT_EQ(error_of([] { JsonFields f(json(3), "tests[2]."); }), "tests[2] must be a JSON object");
}

TEST(JsonFields, NamesAreANonEmptyArrayOfNonEmptyStrings) {
  auto read = [](json j) {
    return error_of([&] {
      JsonFields f(j, "tools: ");
      std::vector<std::string> names = {"kept when absent"};
      f.names("languages", names);
      f.done();
      if (j.contains("languages")) {
        EXPECT_EQ(names.size(), j["languages"].size());
      } else {
        EXPECT_EQ(names, std::vector<std::string>{"kept when absent"});
      }
    });
  };
  EXPECT_EQ(read({{"languages", {"python3", "c"}}}), "accepted");
  EXPECT_EQ(read(json::object()), "accepted");
  const std::string not_array = "tools: languages must be a non-empty array of names";
  EXPECT_EQ(read({{"languages", "python3"}}).rfind(not_array, 0), 0u);
  EXPECT_EQ(read({{"languages", json::array()}}).rfind(not_array, 0), 0u);
  const std::string bad_entry = "tools: languages entries must be non-empty strings";
  EXPECT_EQ(read({{"languages", {"python3", 3}}}).rfind(bad_entry, 0), 0u);
  EXPECT_EQ(read({{"languages", {""}}}).rfind(bad_entry, 0), 0u);
}

TEST(JsonFields, OnlyRefusesFieldsOutsideTheListAndQuotesLongKeysShort) {
  EXPECT_NO_THROW(JsonFields::only({{"a", 1}}, "", {"a", "b"}));
  std::string key(60000, 'k');
  std::string e = error_of([&] { JsonFields::only({{key, 1}}, "limits.", {"a", "b"}); });
  EXPECT_LT(e.size(), 200u) << "a 60 KB key is not echoed whole";
  EXPECT_EQ(e.rfind("limits.kkk", 0), 0u) << e;
  EXPECT_NE(e.find("is not a known field (known: a, b)"), std::string::npos) << e;
}

}  // namespace
}  // namespace crucible
