// fuzz_scenario: scenario, study and calibration text, through parsing, building and
// validation (a study's expansion into runs, each checked against its scenario; a calibration's
// parameters built at their priors' bounds).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "FuzzSupport.hpp"
#include "scenario/Calibration.hpp"
#include "scenario/InputError.hpp"
#include "scenario/Scenario.hpp"
#include "scenario/Study.hpp"

using namespace interdict;

namespace {

/// A copy of scenarios/ in the scratch directory: inputs refer to base scenarios, network files
/// and (studies) scenarios by relative paths, as the examples do.
const std::filesystem::path& scenario_copy() {
  static const std::filesystem::path copy = [] {
    const auto to = fuzz::scratch_directory() / "scenarios";
    std::filesystem::copy(INTERDICT_SOURCE_DIR "/scenarios", to,
                          std::filesystem::copy_options::recursive);
    std::filesystem::copy(INTERDICT_SOURCE_DIR "/tests/data", fuzz::scratch_directory() / "data",
                          std::filesystem::copy_options::recursive);
    return to;
  }();
  return copy;
}

/// Whether the text asks for work that is large by design: a generated network, or a study's
/// sample or replicates, sized with a number of five digits or more. Valid up to 1e6 or 1e7
/// elements, these take minutes and gigabytes (the geometric generator is quadratic in
/// generate.places), which a fuzzer would report as timeouts and memory limits, not bugs.
bool large_by_design(const std::string& text) {
  const bool sized =
      text.find("generate") != std::string::npos || text.find("replicates") != std::string::npos ||
      text.find("points") != std::string::npos || text.find("particles") != std::string::npos;
  std::size_t run = 0;
  for (char c : text) {
    run = c >= '0' && c <= '9' ? run + 1 : 0;
    if (sized && run >= 5) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (large_by_design(text)) return -1;  // not kept in the corpus
  const auto& dir = scenario_copy();
  try {
    if (text.find("[calibration]") != std::string::npos) {
      fuzz::write_scratch_file("scenarios/calibration/fuzz.toml", text);
      scenario::load_calibration((dir / "calibration" / "fuzz.toml").string());
    } else if (text.find("[study]") == std::string::npos) {
      scenario::parse_scenario(text, (dir / "fuzz.toml").string());
    } else {
      const std::string path = (dir / "studies" / "fuzz.toml").string();
      fuzz::write_scratch_file("scenarios/studies/fuzz.toml", text);
      scenario::load_study(path);
    }
  } catch (const scenario::InputError&) {
    // Bad input, reported with file, line and key: what the target expects of most inputs.
  }
  return 0;
}
