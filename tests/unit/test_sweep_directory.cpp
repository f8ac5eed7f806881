// A sweep directory under faults: locks between sweeps, batches that never replace one another,
// damaged bytes found before HDF5 reads them, and run identities that change with what a run is.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "io/StudyStore.hpp"
#include "io/SweepLock.hpp"
#include "scenario/Scenario.hpp"
#include "scenario/Study.hpp"
#include "unit/ScratchDirectory.hpp"

using namespace interdict;

namespace {

io::RunRecord run(const std::string& key, double delivered) {
  io::RunRecord r;
  r.key = key;
  r.variant = "v";
  r.status = "ok";
  r.identity = "id-" + key;
  r.summary_metrics = {{"delivered_kg", "kg", "kilograms delivered"}};
  r.summary = {delivered};
  r.time = {0, 1};
  r.series_metrics = {{"seized_kg", "kg", "seized"}};
  r.series = {{0, delivered}};
  return r;
}

std::vector<std::string> batches(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().filename().string().starts_with("runs-")) out.push_back(entry.path());
  return out;
}

}  // namespace

TEST_CASE("one sweep per shard of a directory, one shard count at a time", "[faults]") {
  const auto dir = testing::fresh_directory("lock").string();
  {
    const io::SweepLock whole = io::SweepLock::own(dir, 0, 1);
    CHECK_THROWS_AS(io::SweepLock::own(dir, 0, 1), io::DirectoryBusy);
    CHECK_THROWS_WITH(io::SweepLock::own(dir, 1, 2), Catch::Contains("with 1 shards is running"));
    CHECK(whole.alone());  // the failed attempts above released what they took
  }
  {
    const io::SweepLock a = io::SweepLock::own(dir, 0, 2);
    const io::SweepLock b = io::SweepLock::own(dir, 1, 2);  // shards of one count run together
    CHECK_THROWS_WITH(io::SweepLock::own(dir, 1, 2), Catch::Contains("already"));
    CHECK_THROWS_AS(io::SweepLock::own(dir, 0, 1), io::DirectoryBusy);
  }
  {
    // A rank of an earlier sweep of shard 0 still runs: a new sweep of it is refused.
    std::optional<io::SweepLock> rank0(io::SweepLock::own(dir, 0, 1));
    const io::SweepLock rank1 = io::SweepLock::join(dir, 0, 1);
    rank0.reset();  // rank 0 was killed, rank 1 lives on
    CHECK_THROWS_WITH(io::SweepLock::own(dir, 0, 1), Catch::Contains("still running"));
  }
  const io::SweepLock again = io::SweepLock::own(dir, 0, 1);  // all gone: free again
  CHECK(again.alone());
  std::filesystem::remove_all(dir);
}

TEST_CASE("batches are named by their digest and never replace one another", "[faults]") {
  const auto dir = testing::fresh_directory("publish");
  const io::StudyInfo study{"s", "text", {}};
  const std::string a = io::publish_batch(dir.string(), study, {run("k1", 1.0), run("k2", 2.0)});
  const std::string b = io::publish_batch(dir.string(), study, {run("k1", 1.0), run("k3", 3.0)});
  CHECK(a != b);                    // the same first run, other contents: two files
  CHECK(batches(dir).size() == 2);  // (a third, below)
  CHECK(io::read_runs(a).at(1).key == "k2");
  CHECK(io::read_runs(b).at(1).key == "k3");
  CHECK(io::read_runs(b).at(1).identity == "id-k3");
  CHECK(io::batch_intact(a));
  CHECK(io::batch_intact(b));
  // One changed byte and the batch no longer matches its name.
  {
    std::fstream f(a, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(std::filesystem::file_size(a) / 2));
    f.put('\x5a');
    f.seekp(static_cast<std::streamoff>(std::filesystem::file_size(a) / 2 + 1));
    f.put('\xa5');
  }
  CHECK_FALSE(io::batch_intact(a));
  CHECK(io::batch_intact(b));
  // A key that is not plain letters and digits (a hostile journal's) names no path.
  const std::string hostile = io::publish_batch(dir.string(), study, {run("../../evil", 4.0)});
  CHECK(std::filesystem::path(hostile).parent_path() == dir);
  CHECK(std::filesystem::path(hostile).filename().string().starts_with("runs-runs-"));
  // No temporary file is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    CHECK_FALSE(io::is_temporary(entry.path().filename().string()));
  std::filesystem::remove_all(dir);
}

TEST_CASE("a run's identity changes with everything its results depend on", "[faults]") {
  const std::string path = std::string(INTERDICT_SOURCE_DIR) + "/scenarios/minimal.toml";
  const scenario::Scenario s = scenario::load_scenario(path);
  const std::string base = scenario::run_identity(s, {"a=1"}, 7, 0);
  CHECK(base.size() == 32);
  CHECK(scenario::run_identity(s, {"a=1"}, 7, 0) == base);  // a digest, not a random name
  std::set<std::string> all{base};
  all.insert(scenario::run_identity(s, {"a=2"}, 7, 0));
  all.insert(scenario::run_identity(s, {"a=1"}, 8, 0));
  all.insert(scenario::run_identity(s, {"a=1"}, 7, 1));
  all.insert(scenario::run_identity(s, {}, 7, 0));
  scenario::Scenario edited = s;
  edited.text += "\n# a comment is a change of text too\n";
  all.insert(scenario::run_identity(edited, {"a=1"}, 7, 0));
  CHECK(all.size() == 6);
}
