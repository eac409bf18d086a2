#include "sandbox/judge/harness_rust.hpp"

#include <vector>

#include "base/error.hpp"
#include "sandbox/judge/code_scanner.hpp"
#include "sandbox/judge/identifier.hpp"

namespace crucible::sandbox::judge {
namespace {

// clang-format off

// Both programs print values with this module: one line each, as == compares (numbers by value,
// 0.0 and -0.0 alike; strings and chars quoted; sequences, tuples and B-tree collections in
// order; hash maps and sets sorted). A call that panics prints its message instead.
constexpr const char* kRustValues = R"RUST(
#[allow(dead_code)]
mod crucible_values {
    use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
    use std::io::Write;

    pub trait Value {
        fn value(&self) -> String;
    }
    macro_rules! by_display {
        ($($t:ty),*) => { $(impl Value for $t { fn value(&self) -> String { self.to_string() } })* };
    }
    by_display!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, bool);
    macro_rules! by_float {
        ($($t:ty),*) => { $(impl Value for $t {
            fn value(&self) -> String { if *self == 0.0 { "0.0".to_string() } else { format!("{:?}", self) } }
        })* };
    }
    by_float!(f32, f64);
    impl Value for char { fn value(&self) -> String { format!("{:?}", self) } }
    impl Value for str { fn value(&self) -> String { format!("{:?}", self) } }
    impl Value for String { fn value(&self) -> String { format!("{:?}", self) } }
    impl Value for () { fn value(&self) -> String { "()".to_string() } }
    impl<T: Value + ?Sized> Value for &T { fn value(&self) -> String { (**self).value() } }
    impl<T: Value + ?Sized> Value for &mut T { fn value(&self) -> String { (**self).value() } }
    impl<T: Value + ?Sized> Value for Box<T> { fn value(&self) -> String { (**self).value() } }
    fn listed<'a, T: Value + 'a>(items: impl Iterator<Item = &'a T>) -> String {
        let parts: Vec<String> = items.map(|x| x.value()).collect();
        format!("[{}]", parts.join(", "))
    }
    fn sorted(mut parts: Vec<String>) -> String {
        parts.sort();
        format!("{{{}}}", parts.join(", "))
    }
    impl<T: Value> Value for [T] { fn value(&self) -> String { listed(self.iter()) } }
    impl<T: Value, const N: usize> Value for [T; N] { fn value(&self) -> String { listed(self.iter()) } }
    impl<T: Value> Value for Vec<T> { fn value(&self) -> String { listed(self.iter()) } }
    impl<T: Value> Value for VecDeque<T> { fn value(&self) -> String { listed(self.iter()) } }
    impl<T: Value> Value for Option<T> {
        fn value(&self) -> String {
            match self { Some(x) => format!("Some({})", x.value()), None => "None".to_string() }
        }
    }
    impl<T: Value, E: Value> Value for Result<T, E> {
        fn value(&self) -> String {
            match self { Ok(x) => format!("Ok({})", x.value()), Err(e) => format!("Err({})", e.value()) }
        }
    }
    impl<K: Value, V: Value, S> Value for HashMap<K, V, S> {
        fn value(&self) -> String { sorted(self.iter().map(|(k, v)| format!("{}: {}", k.value(), v.value())).collect()) }
    }
    impl<T: Value, S> Value for HashSet<T, S> {
        fn value(&self) -> String { sorted(self.iter().map(|x| x.value()).collect()) }
    }
    impl<K: Value, V: Value> Value for BTreeMap<K, V> {
        fn value(&self) -> String {
            let parts: Vec<String> = self.iter().map(|(k, v)| format!("{}: {}", k.value(), v.value())).collect();
            format!("{{{}}}", parts.join(", "))
        }
    }
    impl<T: Value> Value for BTreeSet<T> {
        fn value(&self) -> String {
            let parts: Vec<String> = self.iter().map(|x| x.value()).collect();
            format!("{{{}}}", parts.join(", "))
        }
    }
    macro_rules! tuple {
        ($($name:ident)+) => {
            impl<$($name: Value),+> Value for ($($name,)+) {
                #[allow(non_snake_case)]
                fn value(&self) -> String {
                    let ($($name,)+) = self;
                    let parts: Vec<String> = vec![$($name.value()),+];
                    format!("({})", parts.join(", "))
                }
            }
        };
    }
    tuple!(A);
    tuple!(A B);
    tuple!(A B C);
    tuple!(A B C D);
    tuple!(A B C D E);
    tuple!(A B C D E F);
    tuple!(A B C D E F G);
    tuple!(A B C D E F G H);
    tuple!(A B C D E F G H I);
    tuple!(A B C D E F G H I J);
    tuple!(A B C D E F G H I J K);
    tuple!(A B C D E F G H I J K L);

    extern "C" {
        fn dup(fd: i32) -> i32;
        fn dup2(from: i32, to: i32) -> i32;
    }

    // The items' lines go to the process's stdout; what the code prints goes to stderr.
    pub fn take_stdout() -> std::fs::File {
        use std::os::unix::io::FromRawFd;
        unsafe {
            let fd = dup(1);
            if fd < 0 || dup2(2, 1) < 0 {
                panic!("cannot move stdout aside");
            }
            std::fs::File::from_raw_fd(fd)
        }
    }

    // One function for every item (not one per closure type): less to compile.
    pub fn item(out: &mut std::fs::File, index: usize, f: &dyn Fn() -> String) {
        let line = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f())) {
            Ok(v) => format!("\n{} ={}\n", index, v),
            Err(p) => {
                let what = if let Some(s) = p.downcast_ref::<&str>() {
                    s.to_string()
                } else if let Some(s) = p.downcast_ref::<String>() {
                    s.clone()
                } else {
                    "a panic".to_string()
                };
                format!("\n{} !panicked: {}\n", index, what.replace(['\n', '\r'], " "))
            }
        };
        let _ = out.write_all(line.as_bytes());
    }
}
)RUST";

// clang-format on

constexpr const char* kRustMainStart =
    "\nfn main() {\n"
    "    let mut crucible_out = crucible_values::take_stdout();\n";

// The trait's path in full: an answer's own trait with a `value` method cannot make it ambiguous.
std::string rust_item_line(size_t index, const std::string& expression) {
  return "    crucible_values::item(&mut crucible_out, " + std::to_string(index) +
         ", &|| crucible_values::Value::value(&(" + expression + ")));\n";
}

}  // namespace

std::optional<std::pair<std::string, std::string>> split_rust_assert(const std::string& statement) {
  const auto structure = code_structure(statement);
  if (!structure || structure->find('\n') != std::string::npos) return std::nullopt;
  const std::string& m = *structure;
  // Raw strings (r"..", r#".."#, br"..") are not followed: their backslashes are not escapes.
  for (size_t i = 0; i + 1 < m.size(); ++i)
    if (m[i] == 'r' && (m[i + 1] == '"' || m[i + 1] == '#') &&
        (i == 0 || !is_identifier_char(m[i - 1]) ||
         (m[i - 1] == 'b' && (i < 2 || !is_identifier_char(m[i - 2])))))
      return std::nullopt;
  size_t end = m.find_last_not_of(" \t\r");
  if (end == std::string::npos || m[end] != ';') return std::nullopt;
  end = m.find_last_not_of(" \t\r", end - 1);
  if (end == std::string::npos) return std::nullopt;
  const size_t begin = m.find_first_not_of(" \t\r");
  const auto args = call_arguments(m, Span{begin, end + 1}, {"assert_eq", "!"});
  if (!args) return std::nullopt;
  const auto sides = two_arguments(m, args->begin, args->end);
  if (!sides) return std::nullopt;
  return std::pair{text_of(statement, sides->first), text_of(statement, sides->second)};
}

namespace {

// The assert's sides, the expected value typed by the call it is compared with: `if false {
// CALL } else { EXPECTED }` (the call compiles against the prompt's signature and never runs).
std::optional<std::pair<std::string, std::string>> split_rust_assert_typed(
    const std::string& statement) {
  auto sides = split_rust_assert(statement);
  if (sides) sides->second = "if false { " + sides->first + " } else { " + sides->second + " }";
  return sides;
}

}  // namespace

std::optional<AssertTests> rust_asserts_as_calls(const std::string& prompt,
                                                 const std::string& test) {
  const std::string signature = trimmed(prompt);
  if (signature.empty() || signature.back() != '{') return std::nullopt;
  const std::vector<std::string> lines = nonblank_lines(test);
  if (lines.size() < 5 || lines[0] != "}" || lines[1] != "fn main() {" || lines.back() != "}")
    return std::nullopt;
  const std::string naming = "let candidate = ";
  if (lines[2].rfind(naming, 0) != 0 || lines[2].back() != ';') return std::nullopt;
  AssertTests out;
  out.answer_end = "}\n";
  out.spec.entry_point = lines[2].substr(naming.size(), lines[2].size() - naming.size() - 1);
  if (!is_name(out.spec.entry_point)) return std::nullopt;
  if (!add_assert_lines(out, lines, 3, lines.size() - 1, split_rust_assert)) return std::nullopt;
  out.spec.setup = prompt;
  return out;
}

ValuePrograms build_rust_harness(const std::string& candidate, const HarnessSpec& spec) {
  const std::string signature = trimmed(spec.setup);
  if (signature.empty() || signature.back() != '{')
    throw InvalidRequest(
        "harness.setup must hold the task's code up to the entry point's opening brace for "
        "rust (the expected values take their types from its signature)");
  const std::string shape = "assert_eq!(CALL, EXPECTED); on one line (the Rust harness's shape)";
  const ItemStatements statements =
      item_statements(spec, split_rust_assert_typed, rust_item_line, shape);
  const std::string naming = "    let candidate = " + spec.entry_point + ";\n";
  ValuePrograms p;
  p.candidate_source =
      candidate + "\n" + kRustMainStart + naming + statements.calls + "}\n" + kRustValues;
  p.expected_source = spec.setup + "\n    unimplemented!()\n}\n" + kRustMainStart + naming +
                      statements.expected + "}\n" + kRustValues;
  return p;
}

}  // namespace crucible::sandbox::judge
