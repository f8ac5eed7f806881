// RunJournal: an append-only file of finished runs, so that a killed sweep loses only the runs
// in progress; sweeps publish journals as HDF5 batches and delete them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "io/StudyStore.hpp"

namespace interdict::io {

/// One worker's journal. Each finished run is appended as one record (length, payload,
/// checksum) with a single writev(2) from where the run's numbers lie, so a kill leaves whole
/// records and at most one torn one at the end, which readers drop. The file is locked (flock)
/// while open, so that a resuming sweep never takes over the journal of a live one.
class RunJournal {
 public:
  explicit RunJournal(std::string path);
  ~RunJournal();
  RunJournal(const RunJournal&) = delete;
  RunJournal& operator=(const RunJournal&) = delete;

  void append(const RunRecord& record);
  /// Deletes the journal (its runs have been published).
  void remove();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

/// The whole records of a journal, in order (a torn last record is dropped). Throws
/// FormatError naming the file and record if a whole record does not decode.
std::vector<RunRecord> read_journal(const std::string& path);

/// One journal record (magic, size, `payload`, checksum) as append writes it: for tests and the
/// fuzzer, which feed read_journal hostile payloads that pass the checksum.
std::string journal_record_bytes(std::string_view payload);

/// A journal name unique to this host, process and thread, within `directory`.
std::string new_journal_path(const std::string& directory);

/// The journals in `directory` that no live sweep holds (left by sweeps that were stopped).
std::vector<std::string> stale_journals(const std::string& directory);

/// Publishes every journal in `directory` that no live sweep holds as a batch file
/// (runs-<first key>.h5, written whole) and deletes it. Returns the runs recovered.
std::size_t recover_journals(const std::string& directory, const StudyInfo& study);

}  // namespace interdict::io
