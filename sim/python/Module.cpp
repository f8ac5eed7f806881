// Module: the C++ core as the Python extension `_interdict`, wrapped by the `interdict` package
// (sim/python/interdict). Runs and sweeps go through the same functions as the CLI's, so their
// results are the CLI's bit for bit; a run comes back as the bytes of the HDF5 file the CLI would
// write, made in memory, which interdict_analysis opens like a file.
//
// C++ runs with the GIL released, on a thread of its own, while the calling thread looks every
// kPoll for Ctrl-C (PyErr_CheckSignals) and reports a sweep's progress; an interrupt is passed
// to the engine, which abandons the run (nothing of it is returned or written).
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/Simulation.hpp"
#include "core/Version.hpp"
#include "experiment/RunScenario.hpp"
#include "experiment/Sweep.hpp"
#include "io/FormatError.hpp"
#include "io/ResultWriter.hpp"
#include "scenario/InputError.hpp"
#include "scenario/Scenario.hpp"
#include "scenario/ScenarioKeys.hpp"
#include "scenario/Study.hpp"

namespace py = pybind11;

namespace interdict::python {

namespace {

constexpr auto kPoll = std::chrono::milliseconds(50);

/// Runs `work(interrupt)` on a thread of its own with the GIL released; every kPoll the calling
/// thread takes the GIL, checks for signals and calls `tick`. Ctrl-C (or an exception from
/// `tick`) raises the interrupt, waits for the work to stop, and is rethrown as the Python
/// exception it was.
template <class Work, class Tick>
auto interruptible(Work work, Tick tick) {
  std::atomic<bool> interrupt{false};
  auto future = std::async(std::launch::async, [&] { return work(&interrupt); });
  std::exception_ptr raised;  // Ctrl-C, or what `tick` threw
  {
    py::gil_scoped_release release;
    while (future.wait_for(kPoll) != std::future_status::ready) {
      py::gil_scoped_acquire acquire;
      try {
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
        tick();
      } catch (...) {
        raised = std::current_exception();
        interrupt = true;
        break;
      }
    }
    future.wait();
  }
  if (raised) {
    try {
      future.get();
    } catch (...) {  // the work's end (RunInterrupted, or anything) matters less than Ctrl-C
    }
    std::rethrow_exception(raised);
  }
  return future.get();
}

std::vector<std::string> as_overrides(const std::optional<std::vector<std::string>>& overrides) {
  return overrides.value_or(std::vector<std::string>{});
}

/// One run: the result file's bytes (and the file itself when `output` is given), and timings.
py::dict run(const std::string& path, const std::optional<std::vector<std::string>>& overrides,
             std::optional<std::uint64_t> seed, std::uint64_t replicate, unsigned threads,
             const std::string& output) {
  const scenario::Scenario s = scenario::load_scenario(path, as_overrides(overrides));
  const std::uint64_t run_seed = seed.value_or(s.seed);
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  io::ResultWriter writer(output);
  const experiment::RunReport report = interruptible(
      [&](const std::atomic<bool>* interrupt) {
        return experiment::run_scenario(s, run_seed, replicate, writer, threads, interrupt);
      },
      [] {});
  const io::RunInfo info = experiment::run_info(s, run_seed, replicate, report);
  // Without the GIL: h5py in another thread may hold libhdf5's own lock while it waits for the
  // GIL (in a Python callback of visititems, say), and HDF5 serialises the two anyway.
  std::vector<unsigned char> image;
  {
    py::gil_scoped_release release;
    image = writer.image(info);
    if (!output.empty()) {  // the same bytes: the file is the Run returned
      const auto parent = std::filesystem::path(output).parent_path();
      if (!parent.empty()) std::filesystem::create_directories(parent);
      writer.commit_image(image);
    }
  }
  py::dict out;
  out["image"] = py::bytes(reinterpret_cast<const char*>(image.data()), image.size());
  out["seed"] = run_seed;
  out["events_handled"] = report.events_handled;
  out["wall_seconds"] = report.wall_seconds;
  out["setup_seconds"] = report.setup_seconds;
  out["loop_seconds"] = report.loop_seconds;
  return out;
}

/// A study file swept into `directory` on `workers` threads; `progress(done, failed, total)` is
/// called from the calling thread as runs finish.
py::dict sweep(const std::string& study_path, const std::string& directory, unsigned workers,
               bool resume, std::size_t batch_runs, const py::object& progress) {
  const scenario::Study study = scenario::load_study(study_path);
  experiment::SweepOptions options;
  options.directory = directory;
  options.workers = workers ? workers : std::max(1u, std::thread::hardware_concurrency());
  options.resume = resume;
  options.batch_runs = batch_runs;
  std::mutex counts_mutex;
  std::size_t done = 0, failed = 0, total = 0, shown = SIZE_MAX;
  options.progress = [&](std::size_t d, std::size_t f, std::size_t t) {
    const std::lock_guard lock(counts_mutex);
    done = d;
    failed = f;
    total = t;
  };
  const auto tick = [&] {
    std::size_t d = 0, f = 0, t = 0;
    {
      const std::lock_guard lock(counts_mutex);
      d = done, f = failed, t = total;
    }
    if (progress.is_none() || t == 0 || d == shown) return;
    shown = d;
    progress(d, f, t);
  };
  const experiment::SweepReport r = interruptible(
      [&](const std::atomic<bool>* interrupt) {
        options.interrupt = interrupt;
        return experiment::run_sweep(study, options);
      },
      tick);
  tick();
  py::dict out;
  out["planned"] = r.planned;
  out["skipped"] = r.skipped;
  out["added"] = r.added;
  out["recovered"] = r.recovered;
  out["damaged"] = r.damaged;
  out["done"] = r.done;
  out["failed"] = r.failed;
  out["seconds"] = r.seconds;
  out["workers"] = options.workers;
  return out;
}

/// A key table's row: key, type, unit, default (TOML text), required, range, min, max, choices
/// and description.
py::dict key_row(const scenario::KeySpec& k) {
  py::dict d;
  d["key"] = std::string(k.path);
  d["type"] = std::string(scenario::type_name(k.type));
  d["unit"] = std::string(k.unit);
  d["default"] = std::string(k.default_value);
  d["required"] = k.required;
  d["range"] = scenario::describe_range(k);
  d["min"] = k.min;
  d["max"] = k.max;
  d["choices"] = std::string(k.choices);
  d["description"] = std::string(k.description);
  return d;
}

py::list keys(const std::string& table) {
  const auto specs = table == "study" ? scenario::study_keys() : scenario::scenario_keys();
  py::list out;
  for (const scenario::KeySpec& k : specs)
    out.append(key_row(k));
  return out;
}

/// The scenario key table's row for a key path ("routes[3].exposure", any entry), or KeyError.
py::dict key_info(const std::string& key) {
  const scenario::KeySpec* spec = scenario::find_key(scenario::key_pattern(key));
  if (spec == nullptr)
    throw py::key_error(key + ": no such scenario key (`interdict keys` lists them)");
  return key_row(*spec);
}

}  // namespace

}  // namespace interdict::python

PYBIND11_MODULE(_interdict, m) {
  using namespace interdict;
  using namespace interdict::python;
  m.doc() = "The interdict simulator's C++ core; use the `interdict` package, which wraps it.";
  m.attr("__version__") = kVersion;
  m.attr("git_commit") = kGitCommit;

  // InputError(ValueError) with the location of the mistake as attributes.
  static py::exception<scenario::InputError> input_error(m, "InputError", PyExc_ValueError);
  static py::exception<io::FormatError> format_error(m, "FormatError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const scenario::InputError& e) {
      py::object error = py::handle(input_error.ptr())(e.what());
      error.attr("file") = e.file();
      error.attr("line") = e.line();
      error.attr("column") = e.column();
      error.attr("key") = e.key();
      error.attr("message") = e.message();
      PyErr_SetObject(input_error.ptr(), error.ptr());
    } catch (const io::FormatError& e) {
      format_error(e.what());
    } catch (const RunInterrupted&) {
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    }
  });

  m.def("run", &run, py::arg("scenario"), py::arg("overrides") = py::none(),
        py::arg("seed") = py::none(), py::arg("replicate") = 0, py::arg("threads") = 0,
        py::arg("output") = "",
        "Runs a scenario file (with KEY=VALUE overrides); returns the result file's bytes.");
  m.def(
      "resolved_document",
      [](const std::string& path, const std::optional<std::vector<std::string>>& overrides) {
        return scenario::resolved_document(path, as_overrides(overrides));
      },
      py::arg("scenario"), py::arg("overrides") = py::none(),
      "The scenario with its bases merged and overrides applied, as TOML text (checked against "
      "the key table).");
  m.def(
      "validate",
      [](const std::string& path, const std::optional<std::vector<std::string>>& overrides) {
        const scenario::Scenario s = scenario::load_scenario(path, as_overrides(overrides));
        py::dict out;
        out["name"] = s.name;
        out["seed"] = s.seed;
        out["duration_days"] = s.model.duration_days;
        out["places"] = s.model.places.size();
        out["routes"] = s.model.routes.size();
        out["sources"] = s.model.sources.size();
        out["markets"] = s.model.markets.size();
        out["patrols"] = s.model.patrols.size();
        return out;
      },
      py::arg("scenario"), py::arg("overrides") = py::none(),
      "Reads and checks a scenario as `interdict validate` does; raises InputError.");
  m.def(
      "check_study", [](const std::string& path) { return scenario::load_study(path).runs.size(); },
      py::arg("study"), "Reads and checks a study file; returns its number of planned runs.");
  m.def("sweep", &sweep, py::arg("study"), py::arg("directory"), py::arg("workers") = 0,
        py::arg("resume") = false, py::arg("batch_runs") = 256, py::arg("progress") = py::none(),
        "Sweeps a study file into a directory, as `interdict sweep` does.");
  m.def("key_info", &key_info, py::arg("key"),
        "The scenario key table's row for a key path (any entry index), or KeyError.");
  m.def("keys", &keys, py::arg("table") = "scenario",
        "The key table (\"scenario\" or \"study\"): key, type, unit, default, range, meaning.");
}
