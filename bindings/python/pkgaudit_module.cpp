// `import pkgaudit`: the C++ library for Python (pybind11). Reports are
// converted to plain Python objects once, so nothing in Python points into
// C++ memory; scans release the GIL.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cerrno>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "pkgaudit/auditor.hpp"
#include "pkgaudit/config.hpp"

namespace py = pybind11;

namespace {

struct Exceptions {
  PyObject* base = nullptr;
  PyObject* usage = nullptr;
  PyObject* read = nullptr;
  PyObject* bad_package = nullptr;
  PyObject* config = nullptr;
  PyObject* internal = nullptr;
};
Exceptions g_errors;

[[noreturn]] void raise(const pkgaudit::Error& e) {
  PyObject* type = g_errors.internal;
  switch (e.code) {
    case pkgaudit::ErrorCode::usage: type = g_errors.usage; break;
    case pkgaudit::ErrorCode::io: type = g_errors.read; break;
    case pkgaudit::ErrorCode::bad_package: type = g_errors.bad_package; break;
    case pkgaudit::ErrorCode::config: type = g_errors.config; break;
    case pkgaudit::ErrorCode::internal: type = g_errors.internal; break;
  }
  PyErr_SetString(type, e.message.c_str());
  throw py::error_already_set();
}

struct PyLocation {
  std::string path;
  uint32_t line = 0, column = 0, end_line = 0, end_column = 0;
};

struct PyRelated {
  PyLocation location;
  std::string message;
};

struct PyFinding {
  std::string rule_id, rule_name, level, message, fingerprint, snippet;
  uint32_t snippet_column = 1;
  PyLocation location;
  bool suppressed = false;
  std::string justification;
  std::vector<PyRelated> related;
};

struct PyRule {
  std::string id, name, level, summary, help, fix;
  std::vector<std::string> tags;
};

struct PyReport {
  pkgaudit::Report report;
  std::vector<PyFinding> findings;
};

// Writes the report to `path` (str or os.PathLike) as it is rendered, the
// GIL released; OSError (with errno and the path) when the file cannot be
// opened or written.
void write_report(const PyReport& r, const py::object& path, char format) {
  const std::string name = py::str(py::module_::import("os").attr("fspath")(path));
  int error = 0;
  {
    py::gil_scoped_release release;
    std::FILE* out = std::fopen(name.c_str(), "wb");
    if (!out) {
      error = errno;
    } else {
      const bool written = format == 's'   ? pkgaudit::write_sarif(r.report, out) && std::fputc('\n', out) != EOF
                           : format == 'j' ? pkgaudit::write_json(r.report, out) && std::fputc('\n', out) != EOF
                                           : pkgaudit::write_text(r.report, {}, out);
      if (!written) error = errno ? errno : EIO;
      if (std::fclose(out) != 0 && !error) error = errno ? errno : EIO;
    }
  }
  if (error) {
    errno = error;
    PyErr_SetFromErrnoWithFilename(PyExc_OSError, name.c_str());
    throw py::error_already_set();
  }
}

PyLocation convert(const pkgaudit::Location& l) { return {l.path, l.line, l.column, l.end_line, l.end_column}; }

PyReport wrap(pkgaudit::Report report) {
  PyReport out;
  const auto rules = pkgaudit::rule_catalogue(report.custom_rules);
  for (const pkgaudit::Finding& f : report.findings) {
    PyFinding p;
    p.rule_id = f.rule_id;
    for (const pkgaudit::RuleInfo& info : rules) {
      if (info.id == f.rule_id) p.rule_name = info.name;
    }
    p.level = pkgaudit::level_name(f.level);
    p.message = f.message;
    p.fingerprint = f.fingerprint;
    p.snippet = f.location.snippet;
    p.snippet_column = f.location.snippet_column;
    p.location = convert(f.location);
    p.suppressed = f.suppressed;
    p.justification = f.justification;
    for (const pkgaudit::RelatedLocation& r : f.related) p.related.push_back({convert(r.location), r.message});
    out.findings.push_back(std::move(p));
  }
  out.report = std::move(report);
  return out;
}

// Keyword names for the configuration keys: hosts.retired -> hosts_retired.
std::string python_name_of(std::string key) {
  for (char& c : key) c = (c == '.' || c == '-') ? '_' : c;
  return key;
}

std::vector<std::string> option_names() {
  std::vector<std::string> out;
  for (const std::string& k : pkgaudit::config_keys()) out.push_back(python_name_of(k));
  return out;
}

// Values become the text set_config_value takes (lists comma-separated).
void apply_option(pkgaudit::Options& options, const std::string& python_name, const py::handle& value) {
  std::string key;
  for (const std::string& k : pkgaudit::config_keys()) {
    if (python_name_of(k) == python_name) key = k;
  }
  if (key.empty()) {
    std::string known;
    for (const std::string& name : option_names()) known += (known.empty() ? "" : ", ") + name;
    raise({pkgaudit::ErrorCode::usage, "unknown option '" + python_name + "'; options are " + known});
  }
  std::string text;
  if (py::isinstance<py::bool_>(value)) {
    text = value.cast<bool>() ? "true" : "false";
  } else if (py::isinstance<py::int_>(value)) {
    text = std::to_string(value.cast<long long>());
  } else if (py::isinstance<py::str>(value)) {
    text = value.cast<std::string>();
  } else if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    for (const py::handle& item : value) {
      if (!py::isinstance<py::str>(item)) raise({pkgaudit::ErrorCode::usage, python_name + ": list items must be str"});
      text += (text.empty() ? "" : ",") + item.cast<std::string>();
    }
  } else if (py::isinstance<py::dict>(value)) {  // rules_level={"PA201": "error"}
    for (const auto& [k, v] : value.cast<py::dict>()) text += (text.empty() ? "" : ",") + py::str(k).cast<std::string>() + "=" + py::str(v).cast<std::string>();
  } else {
    raise({pkgaudit::ErrorCode::usage, python_name + ": expected str, int, bool, list of str or dict"});
  }
  if (auto error = pkgaudit::set_config_value(options, key, text)) raise(*error);
}

pkgaudit::Options options_from(const py::object& config, const py::kwargs& kwargs) {
  pkgaudit::Options options;
  if (!config.is_none()) {
    const std::string path = py::str(py::module_::import("os").attr("fspath")(config)).cast<std::string>();
    auto loaded = pkgaudit::load_config_file(path);
    if (!loaded) raise(loaded.error());
    options = std::move(loaded).value();
  }
  for (const auto& [name, value] : kwargs) apply_option(options, name.cast<std::string>(), value);
  return options;
}

PyReport scan(const py::object& package, const py::object& config, const std::string& name, const py::kwargs& kwargs) {
  const pkgaudit::Options options = options_from(config, kwargs);
  if (py::isinstance<py::bytes>(package) || py::isinstance<py::bytearray>(package) ||
      py::isinstance<py::memoryview>(package)) {
    const py::bytes data = py::isinstance<py::bytes>(package)
                               ? py::reinterpret_borrow<py::bytes>(package)
                               : py::bytes(py::module_::import("builtins").attr("bytes")(package));
    const std::string bytes = data.cast<std::string>();
    pkgaudit::Result<pkgaudit::Report> result = pkgaudit::Error{};
    {
      py::gil_scoped_release release;
      result = pkgaudit::audit_zip_bytes(bytes, name, options);
    }
    if (!result) raise(result.error());
    return wrap(std::move(result).value());
  }
  const std::string path = py::str(py::module_::import("os").attr("fspath")(package)).cast<std::string>();
  pkgaudit::Result<pkgaudit::Report> result = pkgaudit::Error{};
  {
    py::gil_scoped_release release;
    result = pkgaudit::audit_path(path, options);
  }
  if (!result) raise(result.error());
  return wrap(std::move(result).value());
}

std::vector<PyRule> rules(const py::object& config) {
  const pkgaudit::Options options = options_from(config, py::kwargs());
  std::vector<PyRule> out;
  for (const pkgaudit::RuleInfo& r : pkgaudit::rule_catalogue(options.custom_rules)) {
    PyRule p{std::string(r.id), std::string(r.name), pkgaudit::level_name(r.level), std::string(r.summary),
             std::string(r.help), std::string(r.fix), {}};
    for (std::string_view t : r.tags) p.tags.emplace_back(t);
    out.push_back(std::move(p));
  }
  return out;
}

py::dict summary(const PyReport& r) {
  py::dict levels;
  for (const char* level : {"error", "warning", "note"}) levels[level] = 0;
  size_t suppressed = 0;
  for (const pkgaudit::Finding& f : r.report.findings) {
    if (f.suppressed) {
      ++suppressed;
      continue;
    }
    const char* name = pkgaudit::level_name(f.level);
    levels[name] = levels[name].cast<size_t>() + 1;
  }
  std::map<std::string, size_t> counts;  // sorted by id
  for (const pkgaudit::Finding& f : r.report.findings) counts[f.rule_id] += !f.suppressed;
  py::dict by_rule;
  for (const auto& [id, n] : counts) {
    if (n) by_rule[py::str(id)] = n;
  }
  size_t files = 0, audited = 0;
  for (const pkgaudit::Artifact& a : r.report.artifacts) {
    if (r.report.package_is_archive && a.parent < 0) continue;  // the archive itself
    ++files;
    audited += a.audited;
  }
  py::dict out;
  out["files"] = files;
  out["audited"] = audited;
  out["not_audited"] = files - audited;
  out["findings"] = levels;
  out["suppressed"] = suppressed;
  out["by_rule"] = by_rule;
  return out;
}

PyObject* new_error(py::module_& m, const char* name, PyObject* bases, const char* doc) {
  PyObject* type = PyErr_NewExceptionWithDoc((std::string("pkgaudit.") + name).c_str(), doc, bases, nullptr);
  if (!type) throw py::error_already_set();
  m.add_object(name, py::handle(type));
  return type;
}

}  // namespace

PYBIND11_MODULE(pkgaudit, m) {
  m.doc() = "Static auditor for vendor upgrade packages: scan a zip or an unpacked tree, get findings.";
  m.attr("__version__") = pkgaudit::version_string();

  g_errors.base = new_error(m, "Error", PyExc_Exception, "Every pkgaudit failure.");
  auto with = [](PyObject* a, PyObject* b) { return py::make_tuple(py::handle(a), py::handle(b)).release().ptr(); };
  g_errors.usage = new_error(m, "UsageError", with(g_errors.base, PyExc_ValueError), "A bad option or argument.");
  g_errors.read = new_error(m, "ReadError", with(g_errors.base, PyExc_OSError), "The package or a file it names could not be read.");
  g_errors.bad_package = new_error(m, "BadPackageError", g_errors.base, "Not a zip, truncated, or an unreadable central directory.");
  g_errors.config = new_error(m, "ConfigError", g_errors.base, "A configuration file was rejected (file:line:column in the message).");
  g_errors.internal = new_error(m, "InternalError", g_errors.base, "A bug in pkgaudit, or out of memory.");

  py::class_<PyLocation>(m, "Location", "A place in a package file: 1-based line and column, exclusive end.")
      .def_readonly("path", &PyLocation::path)
      .def_readonly("line", &PyLocation::line)
      .def_readonly("column", &PyLocation::column)
      .def_readonly("end_line", &PyLocation::end_line)
      .def_readonly("end_column", &PyLocation::end_column)
      .def("__repr__", [](const PyLocation& l) { return "<Location " + l.path + ":" + std::to_string(l.line) + ":" + std::to_string(l.column) + ">"; });

  py::class_<PyRelated>(m, "RelatedLocation")
      .def_readonly("location", &PyRelated::location)
      .def_readonly("message", &PyRelated::message);

  py::class_<PyFinding>(m, "Finding")
      .def_readonly("rule_id", &PyFinding::rule_id)
      .def_readonly("rule_name", &PyFinding::rule_name)
      .def_readonly("level", &PyFinding::level)
      .def_readonly("message", &PyFinding::message)
      .def_readonly("location", &PyFinding::location)
      .def_property_readonly("path", [](const PyFinding& f) { return f.location.path; })
      .def_property_readonly("line", [](const PyFinding& f) { return f.location.line; })
      .def_property_readonly("column", [](const PyFinding& f) { return f.location.column; })
      .def_property_readonly("end_line", [](const PyFinding& f) { return f.location.end_line; })
      .def_property_readonly("end_column", [](const PyFinding& f) { return f.location.end_column; })
      .def_readonly("snippet", &PyFinding::snippet)
      .def_readonly("snippet_column", &PyFinding::snippet_column)
      .def_readonly("fingerprint", &PyFinding::fingerprint)
      .def_readonly("suppressed", &PyFinding::suppressed)
      .def_readonly("justification", &PyFinding::justification)
      .def_readonly("related", &PyFinding::related)
      .def("__repr__", [](const PyFinding& f) {
        return "<Finding " + f.rule_id + " " + f.level + " " + f.location.path + ":" + std::to_string(f.location.line) +
               ":" + std::to_string(f.location.column) + ">";
      });

  py::class_<PyRule>(m, "Rule")
      .def_readonly("id", &PyRule::id)
      .def_readonly("name", &PyRule::name)
      .def_readonly("level", &PyRule::level)
      .def_readonly("summary", &PyRule::summary)
      .def_readonly("help", &PyRule::help)
      .def_readonly("fix", &PyRule::fix)
      .def_readonly("tags", &PyRule::tags)
      .def("__repr__", [](const PyRule& r) { return "<Rule " + r.id + " " + r.name + ">"; });

  py::class_<PyReport>(m, "Report")
      .def_property_readonly("package", [](const PyReport& r) { return r.report.package; })
      .def_readonly("findings", &PyReport::findings)
      .def_property_readonly("rules_run", [](const PyReport& r) { return r.report.rules_run; })
      .def_property_readonly("summary", &summary)
      .def("to_sarif", [](const PyReport& r) { return pkgaudit::render_sarif(r.report); }, "SARIF 2.1.0 as a str.")
      .def("to_json", [](const PyReport& r) { return pkgaudit::render_json(r.report); }, "docs/json-format.md as a str.")
      .def("to_text", [](const PyReport& r) { return pkgaudit::render_text(r.report, {}); }, "The readable report, no colour.")
      .def("write_sarif", [](const PyReport& r, const py::object& path) { write_report(r, path, 's'); }, py::arg("path"),
           "SARIF 2.1.0 written to a file as it is produced (a large report need not be held as a str).")
      .def("write_json", [](const PyReport& r, const py::object& path) { write_report(r, path, 'j'); }, py::arg("path"),
           "docs/json-format.md written to a file as it is produced.")
      .def("write_text", [](const PyReport& r, const py::object& path) { write_report(r, path, 't'); }, py::arg("path"),
           "The readable report, no colour, written to a file as it is produced.")
      .def("__len__", [](const PyReport& r) { return r.findings.size(); })
      .def("__repr__", [](const PyReport& r) {
        return "<Report " + r.report.package + ": " + std::to_string(r.findings.size()) + " findings>";
      });

  m.def("scan", &scan, py::arg("package"), py::arg("config") = py::none(), py::kw_only(),
        py::arg("name") = "package.zip",
        "Audits a zip file or directory (str or os.PathLike) or a zip in memory (bytes).\n"
        "config: a pkgaudit.toml path; keyword options are its keys with '_' for '.' and '-'\n"
        "(hosts_retired=[...], limits_entries=500, rules_select=['PA2']); name labels bytes.\n"
        "Raises pkgaudit.Error subclasses; the GIL is released while scanning.");
  m.def("rules", &rules, py::arg("config") = py::none(),
        "Every built-in rule, then the custom rules of `config` (a pkgaudit.toml path).");
  m.def("option_names", &option_names, "The keyword options scan() takes.");
}
