#include "sandbox/judge/harness_java.hpp"

#include "base/error.hpp"
#include "sandbox/judge/code_scanner.hpp"
#include "sandbox/judge/java_assert_tests.hpp"

namespace crucible::sandbox::judge {
namespace {

// clang-format off

// Both programs print values with the same methods. A value prints on one line: numbers by
// value (an integral float as its integer, so 3.0f and 3l agree as == says; 0.1f and 0.1
// differ as == says), strings quoted, lists in order, sets and maps sorted, Optional,
// javatuples and arrays by their contents, anything else by its class and text.
constexpr const char* kJavaValues = R"JAVA(
    // ---- Crucible harness: values in one canonical form ----
    static String crucibleValue(Object o, int depth) {
        StringBuilder b = new StringBuilder();
        crucibleWrite(b, o, depth);
        return b.toString();
    }
    static void crucibleQuote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); ++i) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        b.append('"');
    }
    static void crucibleSorted(StringBuilder b, java.util.List<String> parts, String open) {
        java.util.Collections.sort(parts);
        b.append(open).append(String.join(",", parts)).append('}');
    }
    static void crucibleWrite(StringBuilder b, Object o, int depth) {
        if (depth > 100) throw new IllegalStateException("a value nested over 100 deep");
        if (o == null) { b.append("null"); return; }
        if (o instanceof Boolean) { b.append(o); return; }
        if (o instanceof Character) { b.append('c'); crucibleQuote(b, o.toString()); return; }
        if (o instanceof CharSequence) { crucibleQuote(b, o.toString()); return; }
        if (o instanceof Byte || o instanceof Short || o instanceof Integer || o instanceof Long) {
            b.append(((Number) o).longValue());
            return;
        }
        if (o instanceof Float || o instanceof Double) {
            double d = ((Number) o).doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 9.0e15) b.append((long) d); else b.append(d);
            return;
        }
        if (o instanceof java.math.BigInteger) { b.append(o); return; }
        if (o instanceof java.math.BigDecimal) { b.append("decimal ").append(o); return; }
        if (o instanceof java.util.Optional) {
            java.util.Optional<?> p = (java.util.Optional<?>) o;
            if (p.isPresent()) { b.append("some("); crucibleWrite(b, p.get(), depth + 1); b.append(')'); }
            else b.append("none");
            return;
        }
        if (o instanceof java.util.Map) {
            java.util.List<String> parts = new java.util.ArrayList<>();
            for (java.util.Map.Entry<?, ?> e : ((java.util.Map<?, ?>) o).entrySet())
                parts.add(crucibleValue(e.getKey(), depth + 1) + ":" + crucibleValue(e.getValue(), depth + 1));
            crucibleSorted(b, parts, "{");
            return;
        }
        if (o instanceof java.util.Set) {
            java.util.List<String> parts = new java.util.ArrayList<>();
            for (Object x : (java.util.Set<?>) o) parts.add(crucibleValue(x, depth + 1));
            crucibleSorted(b, parts, "#{");
            return;
        }
        if (o instanceof java.util.Collection) {
            b.append('[');
            boolean first = true;
            for (Object x : (java.util.Collection<?>) o) {
                if (!first) b.append(',');
                first = false;
                crucibleWrite(b, x, depth + 1);
            }
            b.append(']');
            return;
        }
        if (o.getClass().isArray()) {
            b.append('[');
            for (int i = 0; i < java.lang.reflect.Array.getLength(o); ++i) {
                if (i > 0) b.append(',');
                crucibleWrite(b, java.lang.reflect.Array.get(o, i), depth + 1);
            }
            b.append(']');
            return;
        }
        if (o.getClass().getName().startsWith("org.javatuples.")) {
            try {
                b.append("tuple");
                crucibleWrite(b, o.getClass().getMethod("toList").invoke(o), depth + 1);
                return;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read the tuple " + o.getClass().getName());
            }
        }
        b.append('?').append(o.getClass().getName()).append(':');
        crucibleQuote(b, String.valueOf(o));
    }
    static String crucibleError(Throwable e) {
        return String.valueOf(e).replace('\n', ' ').replace('\r', ' ');
    }
)JAVA";

// main: the items' lines go to the process's stdout; System.out then points at stderr, so what
// the code prints while it works does not mix with them.
constexpr const char* kJavaMainStart = R"JAVA(
    public static void main(String[] crucibleArgs) throws Exception {
        java.io.PrintStream crucibleOut = new java.io.PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
        System.setOut(System.err);
)JAVA";

// clang-format on

std::string java_item_line(size_t index, const std::string& expression) {
  const std::string i = std::to_string(index);
  return "        try { crucibleOut.println(\"\\n" + i + " =\" + crucibleValue(" + expression +
         ", 0)); } catch (Throwable crucibleThrown) { crucibleOut.println(\"\\n" + i +
         " !\" + crucibleError(crucibleThrown)); }\n";
}

// A float compared within a tolerance: printed as a double, whatever numeric type it has.
std::string java_double_line(size_t index, const std::string& expression) {
  return java_item_line(index, "(double) (" + expression + ")");
}

}  // namespace

std::optional<AbsDifference> split_java_tolerance(const std::string& statement) {
  const auto structure = code_structure(statement);
  if (!structure) return std::nullopt;
  const auto args = java_assert_arguments(*structure);
  if (!args) return std::nullopt;
  return abs_difference_below(text_of(statement, *args), {"Math", ".", "abs"});
}

ValuePrograms build_java_harness(const std::string& candidate, const HarnessSpec& spec) {
  const ItemStatements items = item_statements(
      spec, split_java_assert, java_item_line,
      "assert(CALL == (EXPECTED));, assert(CALL.equals(EXPECTED)); or assert(Math.abs(CALL - "
      "EXPECTED) < EPS); (the Java harness's shapes)",
      nullptr, ToleranceItems{split_java_tolerance, java_double_line});
  const std::string end_of_main = "        crucibleOut.flush();\n    }\n";
  ValuePrograms h;
  h.candidate_source =
      candidate + "\n" + kJavaMainStart + items.calls + end_of_main + kJavaValues + "}\n";
  // Without the task's imports, those MultiPL-E's Java prompts start with.
  const std::string imports =
      spec.setup.empty()
          ? "import java.util.*;\nimport java.util.stream.*;\nimport org.javatuples.*;\n"
          : spec.setup;
  h.expected_source = imports + "\nclass Problem {\n" + kJavaMainStart + items.expected +
                      end_of_main + kJavaValues + "}\n";
  h.tolerances = items.tolerances;
  return h;
}

}  // namespace crucible::sandbox::judge
