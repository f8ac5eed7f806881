// fuzz_seeds: writes the seed inputs that cannot be taken from the checkout as they are: journals
// written by RunJournal (for fuzz_journal) and edit sequences (for fuzz_result).
// Usage: fuzz_seeds DIRECTORY  (makes DIRECTORY/fuzz_journal and DIRECTORY/fuzz_result)
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "io/RunJournal.hpp"
#include "io/StudyStore.hpp"
#include "model/InterventionLog.hpp"

using namespace interdict;

namespace {

void write(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<long>(bytes.size()));
}

/// A run as a sweep journals it: ok (with series, a log with network measures) or failed.
io::RunRecord run(int i, bool ok) {
  io::RunRecord r;
  r.key = "k" + std::to_string(i);
  r.variant = "takedown";
  r.parameters = {{"routes.sea.exposure", "0.5"}};
  r.replicate = static_cast<std::uint64_t>(i);
  r.seed = 1000 + static_cast<std::uint64_t>(i);
  r.status = ok ? "ok" : "failed";
  if (!ok) {
    r.error = "scenario broke";
    return r;
  }
  r.summary_metrics = {{"delivered_kg", "kg", "delivered"}};
  r.summary = {12.5};
  r.time = {0.0, 7.0, 14.0};
  r.series_metrics = {{"seized_kg", "kg", "seized"}};
  r.series = {{0.0, NAN, 2.0}};
  model::InterventionRecord log{7.0, "takedown", "dismantle", "relays: a", 2.0, 1e5};
  log.network = {{"known_nodes_after", 3.0}};
  r.interventions = model::intervention_log({&log, 1});
  return r;
}

void journal_seeds(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "journal.tmp").string();
  {
    io::RunJournal journal(path);
    journal.append(run(0, true));
    journal.append(run(1, false));
  }
  std::ifstream in(path, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), {}};
  std::filesystem::remove(path);
  write(dir / "two-records", std::string(1, '\0') + bytes);
  // The payload of each record: its bytes between header (magic, size) and checksum.
  std::size_t at = 0;
  for (int i = 0; at + 12 <= bytes.size(); ++i) {
    std::uint64_t size = 0;
    std::memcpy(&size, bytes.data() + at + 4, sizeof size);
    write(dir / ("payload-" + std::to_string(i)), "\x01" + bytes.substr(at + 12, size));
    at += 12 + size + 8;
  }
}

void result_seeds(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  // First byte: the base file (batch, merged, result); then edits (see FuzzHdf5Edits.hpp).
  const std::string seeds[] = {std::string("\0", 1),
                               "\x01",
                               "\x02",
                               std::string("\0\0\0\0", 4),
                               "\x01\x03\x05\x01\x01",
                               "\x02\x00\x07\x02\x01\x01\x01",
                               "\x00\x02\x01\x0b\x02\xf5\x00"};
  int n = 0;
  for (const std::string& s : seeds)
    write(dir / ("edits-" + std::to_string(n++)), s);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_seeds DIRECTORY\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  journal_seeds(dir / "fuzz_journal");
  result_seeds(dir / "fuzz_result");
  return 0;
}
