// The _crucible extension module: the bridge's JSON-text functions, with the GIL released
// for every call (so threads verify and judge in parallel) and Crucible's exceptions
// turned into Python ones carrying the message. The crucible package (crucible/) wraps
// these in Python types.
#include <pybind11/pybind11.h>

#include "base/error.hpp"
#include "python/bridge.hpp"

namespace py = pybind11;
using crucible::python::EnvHandle;
using crucible::python::SandboxHandle;

PYBIND11_MODULE(_crucible, m) {
  m.doc() = "Crucible's C++ core; use the crucible package, not this module.";
  static py::exception<crucible::InvalidRequest> invalid(m, "InvalidRequest", PyExc_ValueError);
  static py::exception<crucible::SandboxFailure> failure(m, "SandboxFailure", PyExc_RuntimeError);
  static py::exception<crucible::Error> error(m, "Error", PyExc_RuntimeError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const crucible::InvalidRequest& e) {
      invalid(e.what());
    } catch (const crucible::SandboxFailure& e) {
      failure(e.what());
    } catch (const crucible::Error& e) {
      error(e.what());
    }
  });
  using release = py::call_guard<py::gil_scoped_release>;
  m.def("verify", &crucible::python::verify, release());
  m.def("explain", &crucible::python::explain, release());
  m.def("math_reward", &crucible::python::math_reward, release());
  m.def("format_reward", &crucible::python::format_reward, release());
  m.def("overlong_penalty", &crucible::python::overlong_penalty, release());
  m.def("group_advantages", &crucible::python::group_advantages, release());
  m.def("serial_rewards", &crucible::python::serial_rewards, release());
  m.def("generate_tasks", &crucible::python::generate_tasks, release());
  m.def("load_tasks", &crucible::python::load_tasks, release());
  py::class_<SandboxHandle>(m, "SandboxHandle")
      .def(py::init<const std::string&>(), release())
      .def("run", &SandboxHandle::run, release())
      .def("judge", &SandboxHandle::judge, release())
      .def("code_reward", &SandboxHandle::code_reward, release())
      .def("judge_tests", &SandboxHandle::judge_tests, release())
      .def("label", &SandboxHandle::label, release());
  py::class_<EnvHandle>(m, "EnvHandle")
      .def(py::init<SandboxHandle&, const std::string&>(), py::keep_alive<1, 2>())
      .def("reset", &EnvHandle::reset, release())
      .def("step", &EnvHandle::step, release());
}
