// A small reader of C-family test code (C++, Java): enough structure to find a test's main()
// and the assert statements in it, without a regex over untrusted text. Used to move
// MultiPL-E's asserts out of the answer's program (cpp_assert_tests, java_assert_tests).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crucible::sandbox::judge {

bool is_code_space(char c);

// `s` with comments blanked and the insides of string and character literals masked (same
// length, newlines and quotes kept), so brackets and semicolons can be read off it; nullopt
// for what this reader does not follow (a raw string or text block, an unterminated literal
// or comment).
std::optional<std::string> code_structure(const std::string& s);

// The next token of `m` from `i` (a word or one other character), "" at the end.
std::string next_token(const std::string& m, size_t& i);

// Whether the next tokens from `i` are `tokens`, in order (consumes them).
bool read_tokens(const std::string& m, size_t& i, std::initializer_list<const char*> tokens);

struct Span {
  size_t begin, end;
};

struct Block {
  std::vector<Span> statements;  // trimmed, without their ';'
  size_t after = 0;              // just past the block's closing brace
};

// The statements of the block whose '{' is just before `i`; nullopt when its brackets do not
// close or a statement lacks its ';'.
std::optional<Block> statements_of_block(const std::string& m, size_t i);

// Whether `m[s]` is `assert(...)` and nothing after its closing parenthesis.
bool is_assert_call(const std::string& m, Span s);

// When `m[s]` is a call of `callee` (its tokens, e.g. {"assert", ".", "deepEqual"}) and nothing
// after its closing parenthesis: the span of its arguments; else nullopt.
std::optional<Span> call_arguments(const std::string& m, Span s,
                                   std::initializer_list<const char*> callee);

// `m[begin, end)` split at the commas outside brackets (each span untrimmed); nullopt when its
// brackets do not balance. With `angle_generics`, a '<' right after a name opens a generic's
// brackets (Java's `new HashMap<String, Integer>()`), so its comma does not split.
std::optional<std::vector<Span>> top_level_elements(const std::string& m, size_t begin, size_t end,
                                                    bool angle_generics = false);

// The two arguments of a call whose parentheses enclose `m[begin, end)`, split at the one comma
// outside brackets; nullopt when there is not exactly one, or a side is empty.
std::optional<std::pair<Span, Span>> two_arguments(const std::string& m, size_t begin, size_t end);

// The lines of `text` that hold more than whitespace, each without the whitespace around it.
std::vector<std::string> nonblank_lines(const std::string& text);

// Whether `s` is a plain name: [A-Za-z0-9_$]+, not starting with a digit.
bool is_name(const std::string& s);

// `s[span]` without the whitespace around it.
std::string text_of(const std::string& s, Span span);

// `s` without the whitespace around it.
std::string trimmed(const std::string& s);

}  // namespace crucible::sandbox::judge
