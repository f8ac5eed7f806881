// CalibrateCommand: `interdict calibrate CALIBRATION -o DIR`.
#include <algorithm>
#include <iomanip>
#include <ostream>
#include <thread>

#include "cli/Commands.hpp"
#include "experiment/Calibrate.hpp"
#include "io/FormatError.hpp"
#include "scenario/InputError.hpp"

namespace interdict::cli {

int calibrate_command(const CalibrateCommandOptions& options, std::ostream& out,
                      std::ostream& err) {
  scenario::Calibration calibration;
  experiment::CalibrationOptions run;
  try {
    calibration = scenario::load_calibration(options.calibration);
  } catch (const scenario::InputError& e) {
    err << "error: " << e.what() << "\n";
    return kBadInput;
  }
  std::string problem;
  if (!parse_shard(options.shard, run.shard, problem)) {
    err << "error: " << problem << "\n";
    return kBadInput;
  }
  run.directory = options.directory;
  run.resume = options.resume;
  run.mpi = experiment::launched_by_mpi();
  run.workers = run.mpi           ? 1
                : options.workers ? options.workers
                                  : std::max(1u, std::thread::hardware_concurrency());
  run.log = [&err](const std::string& line) { err << "calibrate: " << line << "\n" << std::flush; };
  try {
    const experiment::CalibrationReport r = experiment::run_calibration(calibration, run);
    if (r.rank != 0) return kOk;
    out << calibration.name << ": " << r.generations << " generations, " << r.runs
        << " runs; stopped on " << r.stopped << " -> " << r.output << "\n";
    return r.generations ? kOk : kRuntimeFailure;
  } catch (const experiment::SweepAbandoned& e) {
    return e.exit_code();  // another rank said why
  } catch (const scenario::InputError& e) {
    err << "error: " << e.what() << "\n";
    return kBadInput;
  } catch (const io::FormatError& e) {
    err << "error: " << e.what() << "\n";
    return kBadInput;
  } catch (const std::exception& e) {
    err << "error: calibration failed: " << e.what() << "\n";
    return kRuntimeFailure;
  }
}

}  // namespace interdict::cli
