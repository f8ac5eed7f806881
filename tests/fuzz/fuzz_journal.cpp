// fuzz_journal: a sweep's run journal read back, and the recovered runs published as a batch
// and read again (what a resumed sweep does). Odd first byte: the rest is one record's payload,
// framed with a valid checksum so that the fuzzer reaches the decoder; even: the raw file.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "FuzzSupport.hpp"
#include "io/FormatError.hpp"
#include "io/RunJournal.hpp"
#include "io/StudyStore.hpp"

using namespace interdict;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string bytes = data[0] % 2 ? io::journal_record_bytes(rest) : std::string(rest);
  const std::string path = fuzz::write_scratch_file("journal-fuzz.bin", bytes);
  std::vector<io::RunRecord> runs;
  try {
    runs = io::read_journal(path);
  } catch (const io::FormatError&) {
    return 0;
  }
  if (runs.empty() || data[0] % 4 != 1) return 0;
  // As recover_journals publishes them, then as a resume or merge reads them.
  // Either may refuse what the journal holds (a metric named like a column, say) with an
  // exception; what is looked for here is memory errors, undefined behaviour and hangs.
  const std::string batch = (fuzz::scratch_directory() / "runs-fuzz.h5").string();
  try {
    io::write_runs(batch, io::StudyInfo{"fuzz", "", {}}, runs, /*keep=*/false);
    io::read_runs(batch);
  } catch (const std::exception&) {
  }
  return 0;
}
