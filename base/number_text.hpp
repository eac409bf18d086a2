// Numbers as clients write them and as error messages quote them, one way everywhere.
//
//   finite_number("64")  -> 64;   finite_number("lots"), ("1e999"), ("") -> nullopt
//   short_number(1048576) -> "1048576";   short_number(1e30) -> "1e+30"
#pragma once

#include <optional>
#include <string>

namespace crucible {

// The whole text as a finite number, or nothing.
std::optional<double> finite_number(const std::string& text);

// A number as an error message quotes it: "1048576", "0.0001", "1e+30", never 300 digits.
std::string short_number(double x);

}  // namespace crucible
