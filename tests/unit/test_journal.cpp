// RunJournal: records round-trip whole, a torn last record is dropped, recovery publishes.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "io/RunJournal.hpp"
#include "io/StudyStore.hpp"
#include "model/InterventionLog.hpp"
#include "unit/ScratchDirectory.hpp"
#include "unit/TableChecks.hpp"

using namespace interdict;

namespace {

io::RunRecord record(int i) {
  io::RunRecord r;
  r.key = "key" + std::to_string(i);
  r.variant = "v";
  r.parameters = {{"patrols[0].intensity", "0.25"}};
  r.replicate = static_cast<std::uint64_t>(i);
  r.seed = 0xFFFFFFFFFFFFFFF0ull + static_cast<std::uint64_t>(i);
  r.status = "ok";
  r.identity = "identity-" + std::to_string(i);
  r.summary_metrics = {{"delivered_kg", "kg", "kilograms delivered"}};
  r.summary = {100.0 * i};
  r.time = {0, 1, 2};
  r.series_metrics = {{"seized_kg", "kg", "seized"}, {"known_nodes", "1", "cells"}};
  r.series = {{0, 1, 2}, {0, std::numeric_limits<double>::quiet_NaN(), 3}};
  model::InterventionRecord log{250.0, "takedown", "dismantle", "relays: a, b", 80.0, 1e6};
  log.network = {{"true_efficiency_before", 0.5}, {"known_nodes_after", 3.0}};
  r.interventions = model::intervention_log({&log, 1});
  return r;
}

std::filesystem::path fresh_directory() {
  return testing::fresh_directory("journal");
}

}  // namespace

TEST_CASE("journal records round-trip, and a torn last record is dropped", "[journal]") {
  const auto dir = fresh_directory();
  const std::string path = io::new_journal_path(dir.string());
  {
    io::RunJournal journal(path);
    for (int i = 0; i < 3; ++i)
      journal.append(record(i));
  }
  auto runs = io::read_journal(path);
  REQUIRE(runs.size() == 3);
  CHECK(runs[2].key == "key2");
  CHECK(runs[2].seed == 0xFFFFFFFFFFFFFFF2ull);
  CHECK(runs[1].series[0] == std::vector<double>{0, 1, 2});
  CHECK(std::isnan(runs[1].series[1][1]));
  const Table& log = runs[1].interventions;
  CHECK(log.name == "interventions");
  CHECK(log.dimension == "intervention");
  CHECK(log.columns.size() == record(1).interventions.columns.size());
  CHECK(testing::holds_columns(log, record(1).interventions));
  CHECK(log.column("targets")->strings == std::vector<std::string>{"relays: a, b"});
  CHECK(log.column("true_efficiency_before")->numbers == std::vector<double>{0.5});
  CHECK(runs[1].parameters == record(1).parameters);
  CHECK(runs[1].identity == "identity-1");
  // A kill in the middle of the last write leaves a torn record: the others survive.
  const auto size = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, size - 5);
  CHECK(io::read_journal(path).size() == 2);
  // Recovery publishes the whole records as a batch and deletes the journal.
  CHECK(io::recover_journals(dir.string(), io::StudyInfo{"s", "", {"patrols[0].intensity"}}) == 2);
  CHECK_FALSE(std::filesystem::exists(path));
  std::vector<std::string> batches;  // runs-key0-<digest>.h5
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().filename().string().starts_with("runs-key0-")) batches.push_back(entry.path());
  REQUIRE(batches.size() == 1);
  CHECK(io::batch_intact(batches[0]));
  const auto published = io::read_runs(batches[0]);
  REQUIRE(published.size() == 2);
  CHECK(published[1].summary.at(0) == 100.0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a journal still open by a live sweep is left alone", "[journal]") {
  const auto dir = fresh_directory();
  io::RunJournal live(io::new_journal_path(dir.string()));
  live.append(record(7));
  CHECK(io::recover_journals(dir.string(), io::StudyInfo{"s", "", {}}) == 0);
  CHECK(std::filesystem::exists(live.path()));
  live.remove();
  std::filesystem::remove_all(dir);
}

TEST_CASE("long series are journalled from where they lie, and a changed byte drops the record",
          "[journal]") {
  const auto dir = fresh_directory();
  const std::string path = io::new_journal_path(dir.string());
  io::RunRecord long_run = record(7);
  long_run.key = "odd-length-key";  // pieces that are not whole words
  long_run.time.resize(367);
  long_run.series.assign(2, std::vector<double>(367));
  for (std::size_t t = 0; t < 367; ++t) {
    long_run.time[t] = static_cast<double>(t);
    long_run.series[0][t] = 0.5 * static_cast<double>(t);
    long_run.series[1][t] = -static_cast<double>(t * t);
  }
  {
    io::RunJournal journal(path);
    journal.append(record(1));
    journal.append(long_run);
  }
  auto runs = io::read_journal(path);
  REQUIRE(runs.size() == 2);
  CHECK(runs[1].key == "odd-length-key");
  CHECK(runs[1].time == long_run.time);
  CHECK(runs[1].series == long_run.series);
  // One byte changed inside the second record's series (a torn or damaged write): dropped.
  const auto size = std::filesystem::file_size(path);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size - 2000));
    char c = 0;
    f.read(&c, 1);
    f.seekp(static_cast<std::streamoff>(size - 2000));
    c = static_cast<char>(c ^ 0x10);
    f.write(&c, 1);
  }
  runs = io::read_journal(path);
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].key == "key1");
  std::filesystem::remove_all(dir);
}

TEST_CASE("journals: failed runs read back, hostile records are errors naming the file",
          "[foreign][journal]") {
  const auto dir = fresh_directory();
  const std::string path = (dir / "journal-x.bin").string();
  SECTION("a failed run (every vector empty)") {
    io::RunRecord failed;
    failed.key = "k";
    failed.status = "failed";
    failed.error = "broke";
    io::RunJournal(path).append(failed);
    const auto runs = io::read_journal(path);
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].summary.empty());
    CHECK(runs[0].error == "broke");
  }
  SECTION("a summary shorter than its metrics") {
    io::RunRecord r;
    r.status = "ok";
    r.summary_metrics = {{"a", "1", ""}, {"b", "1", ""}};
    r.summary = {1.0};
    io::RunJournal(path).append(r);
    CHECK_THROWS_WITH(
        io::read_journal(path),
        Catch::StartsWith(path) && Catch::Contains("1 summary values for 2 summary metrics"));
  }
  SECTION("more series than series metrics") {
    io::RunRecord r;
    r.series_metrics = {{"a", "1", ""}};
    r.series = {{1.0}, {2.0}};
    io::RunJournal(path).append(r);
    // The extra series is read where the intervention count belongs: a count past the end.
    CHECK_THROWS_WITH(io::read_journal(path),
                      Catch::StartsWith(path) && Catch::Contains("journal record 1"));
  }
  SECTION("a count of 2^60 parameters") {
    std::string payload(8, '\0');                       // key ""
    payload += std::string(8, '\0');                    // variant ""
    const std::uint64_t huge = std::uint64_t{1} << 60;  // parameters
    payload.append(reinterpret_cast<const char*>(&huge), sizeof huge);
    std::ofstream(path, std::ios::binary) << io::journal_record_bytes(payload);
    CHECK_THROWS_WITH(io::read_journal(path),
                      Catch::StartsWith(path) && Catch::Contains("exceeds the record"));
  }
  std::filesystem::remove_all(dir);
}
