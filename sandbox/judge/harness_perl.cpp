#include "sandbox/judge/harness_perl.hpp"

#include <cctype>
#include <sstream>
#include <vector>

#include "base/error.hpp"
#include "sandbox/judge/code_scanner.hpp"
#include "sandbox/judge/identifier.hpp"

namespace crucible::sandbox::judge {
namespace {

// clang-format off

// Values in one canonical form, as eq_deeply compares them: a scalar by its string (undef
// apart), arrays in order, hashes by sorted keys, references to scalars by what they hold.
// What the code prints while it works goes to stderr, apart from the items' lines.
constexpr const char* kPerlStart = R"PERL(
sub crucible_value {
    my ($v, $depth) = @_;
    die "a value nested over 100 deep\n" if $depth > 100;
    return "undef" unless defined $v;
    my $r = ref $v;
    return "[" . join(",", map { crucible_value($_, $depth + 1) } @$v) . "]" if $r eq "ARRAY";
    return "{" . join(",", map { crucible_value($_, $depth + 1) . "=>" . crucible_value($v->{$_}, $depth + 1) } sort keys %$v) . "}" if $r eq "HASH";
    return "\\" . crucible_value($$v, $depth + 1) if $r eq "SCALAR" || $r eq "REF";
    return "?" . $r if $r;
    my $s = "$v";
    $s =~ s/([\\"])/\\$1/g;
    $s =~ s/([\x00-\x1f\x7f])/sprintf("\\x%02x", ord $1)/ge;
    return "\"$s\"";
}
open(my $crucible_out, ">&", \*STDOUT) or die "cannot keep stdout: $!";
$crucible_out->autoflush(1);
open(STDOUT, ">&", \*STDERR) or die "cannot move stdout: $!";
sub crucible_item {
    my ($index, $call) = @_;
    my $line = eval { my @r = $call->(); "$index =" . crucible_value($r[0], 0) };
    unless (defined $line) { (my $e = "$@") =~ s/[\r\n]/ /g; $line = "$index !$e"; }
    print $crucible_out "\n$line\n";
}
)PERL";

// clang-format on

constexpr const char* kPass = "print \"ok!\" }else{";
constexpr const char* kFail = "exit 1;";

// In parentheses, so a `{...}` is an anonymous hash (alone in a sub's block, `{}` is a block).
std::string perl_item_line(size_t index, const std::string& expression) {
  return "crucible_item(" + std::to_string(index) + ", sub { (" + expression + ") });\n";
}

}  // namespace

std::optional<std::pair<std::string, std::string>> split_perl_check(const std::string& item) {
  const std::vector<std::string> lines = nonblank_lines(item);
  if (lines.empty() || (lines.size() != 1 && (lines.size() != 4 || lines[1] != kPass ||
                                              lines[2] != kFail || lines[3] != "}")))
    return std::nullopt;
  const std::string& head = lines[0];
  const auto structure = code_structure(head);
  // Perl's comments, heredocs, regexes and q-quotes are not followed: such a check is not read.
  if (!structure || structure->find('#') != std::string::npos ||
      structure->find("<<") != std::string::npos || structure->find('/') != std::string::npos ||
      structure->find('`') != std::string::npos)
    return std::nullopt;
  const std::string& m = *structure;
  const std::string tail = ")) {";
  if (m.size() < tail.size() || m.compare(m.size() - tail.size(), tail.size(), tail) != 0)
    return std::nullopt;
  size_t i = 0;
  if (!read_tokens(m, i, {"if", "(", "eq_deeply", "("})) return std::nullopt;
  const size_t close = m.size() - 4;  // eq_deeply's ")": the last four are ")) {"
  const auto sides = two_arguments(m, i, close);
  if (!sides) return std::nullopt;
  // The inner call's brackets must close before the `if`'s own: one argument list, not more.
  int depth = 0;
  for (size_t k = i; k < close; ++k) {
    if (m[k] == '(' || m[k] == '[' || m[k] == '{') ++depth;
    if (m[k] == ')' || m[k] == ']' || m[k] == '}') --depth;
    if (depth < 0) return std::nullopt;
  }
  return std::pair{text_of(head, sides->first), text_of(head, sides->second)};
}

std::optional<AssertTests> perl_checks_as_calls(const std::string& test) {
  const std::vector<std::string> lines = nonblank_lines(test);
  const std::string naming = "my $candidate = \\&";
  if (lines.size() < 9 || lines[0] != "use Test::Deep;" || lines[1] != "sub testhumaneval {" ||
      lines[2].rfind(naming, 0) != 0 || lines[2].back() != ';' || lines[lines.size() - 2] != "}" ||
      lines.back() != "testhumaneval();" || (lines.size() - 5) % 4 != 0)
    return std::nullopt;
  AssertTests out;
  out.spec.entry_point = lines[2].substr(naming.size(), lines[2].size() - naming.size() - 1);
  if (!is_name(out.spec.entry_point)) return std::nullopt;
  for (size_t i = 3; i + 2 < lines.size(); i += 4) {
    std::string item = lines[i] + "\n" + lines[i + 1] + "\n" + lines[i + 2] + "\n" + lines[i + 3];
    if (!split_perl_check(item)) return std::nullopt;
    out.spec.items.push_back(std::move(item));
  }
  return out;
}

ValuePrograms build_perl_harness(const std::string& candidate, const HarnessSpec& spec) {
  const ItemStatements items = item_statements(
      spec, split_perl_check, perl_item_line,
      "if(eq_deeply($candidate->(ARGS),EXPECTED)) { ... exit 1; } (the Perl harness's shape)");
  ValuePrograms p;
  p.candidate_source = candidate + "\n" + kPerlStart + "my $candidate = \\&" + spec.entry_point +
                       ";\n" + items.calls;
  p.expected_source = std::string(kPerlStart) + items.expected;
  return p;
}

}  // namespace crucible::sandbox::judge
