// RunJournal: binary records of RunRecords, written and read back whole.
#include "io/RunJournal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <thread>

#include "io/FormatError.hpp"
#include "io/GatherWrite.hpp"

namespace interdict::io {

namespace {

// "NRJ5" in a file: version 5 of the record format (4: the intervention log as a table with its
// columns' names, units and descriptions; 5: the run's place in a sensitivity design).
constexpr std::uint32_t kMagic = 0x354A524E;

/// A checksum that catches torn writes, fed piece by piece (the pieces of a record need not be
/// word-sized). Records are large, so it mixes 32 bytes at a time in four independent lanes: a
/// single multiply-xorshift chain ran at a third of the speed of the write it guards.
class Checksum {
 public:
  explicit Checksum(std::uint64_t size) {
    for (std::size_t i = 0; i < kLanes; ++i)
      lane_[i] = 1469598103934665603ull ^ size ^ (i * 0x9E3779B97F4A7C15ull);
  }

  void add(const char* data, std::size_t size) {
    while (size > 0 && carried_ > 0) {  // complete the block a previous piece began
      carry_[carried_++] = *data++;
      --size;
      if (carried_ == kBlock) {
        block(carry_);
        carried_ = 0;
      }
    }
    for (; size >= kBlock; data += kBlock, size -= kBlock)
      block(data);
    for (; size > 0; --size)
      carry_[carried_++] = *data++;
  }

  std::uint64_t value() const {
    std::uint64_t h = 0;
    for (std::uint64_t l : lane_)
      h = mix(h ^ l);
    for (std::size_t i = 0; i < carried_; ++i)
      h = (h ^ static_cast<unsigned char>(carry_[i])) * 1099511628211ull;
    return h;
  }

 private:
  static constexpr std::size_t kLanes = 4;
  static constexpr std::size_t kBlock = 8 * kLanes;

  static std::uint64_t mix(std::uint64_t h) {
    h *= 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
  }
  void block(const char* p) {
    for (std::size_t i = 0; i < kLanes; ++i) {
      std::uint64_t w;
      std::memcpy(&w, p + 8 * i, 8);
      lane_[i] = mix(lane_[i] ^ w);
    }
  }
  std::uint64_t lane_[kLanes];
  char carry_[kBlock] = {};
  std::size_t carried_ = 0;
};

std::uint64_t checksum(const char* data, std::size_t size) {
  Checksum sum(size);
  sum.add(data, size);
  return sum.value();
}

/// A record as a list of pieces: small fields are copied into an owned buffer, large number
/// arrays are referenced where they lie, so a record is written with one writev(2) and no copy.
class Writer {
 public:
  // A run's small fields (names, units and descriptions of its metrics and log columns) take
  // some 12 KB: room for them at once, rather than a dozen reallocations and copies.
  Writer() { owned_.reserve(16 << 10); }

  template <class T>
  void raw(const T& value) {
    const char* p = reinterpret_cast<const char*>(&value);
    own(p, sizeof value);
  }
  void text(const std::string& s) {
    raw<std::uint64_t>(s.size());
    own(s.data(), s.size());
  }
  void numbers(const std::vector<double>& v) {
    raw<std::uint64_t>(v.size());
    if (v.size() < 64) {
      own(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(double));
      return;
    }
    pieces_.push_back(Piece{v.data(), 0, v.size() * sizeof(double)});
  }
  void metrics(const std::vector<MetricInfo>& m) {
    raw<std::uint64_t>(m.size());
    for (const MetricInfo& info : m) {
      text(info.name);
      text(info.unit);
      text(info.description);
    }
  }
  void table(const Table& t) {
    text(t.name);
    text(t.dimension);
    raw<std::uint64_t>(t.columns.size());
    for (const Column& c : t.columns) {
      text(c.name);
      text(c.unit);
      text(c.description);
      raw<std::uint8_t>(c.text ? 1 : 0);
      if (!c.text) {
        numbers(c.numbers);
        continue;
      }
      raw<std::uint64_t>(c.strings.size());
      for (const std::string& s : c.strings)
        text(s);
    }
  }

  /// The pieces as iovecs, once nothing more is added.
  std::vector<iovec> pieces() const {
    std::vector<iovec> out;
    out.reserve(pieces_.size());
    for (const Piece& p : pieces_) {
      const void* base = p.external ? static_cast<const void*>(p.external) : owned_.data() + p.at;
      out.push_back(iovec{const_cast<void*>(base), p.size});
    }
    return out;
  }
  std::size_t size() const {
    std::size_t n = 0;
    for (const Piece& p : pieces_)
      n += p.size;
    return n;
  }

 private:
  struct Piece {
    const double* external;  // or null: `size` bytes of owned_ from `at`
    std::size_t at;
    std::size_t size;
  };
  void own(const char* p, std::size_t n) {
    if (n == 0) return;
    if (pieces_.empty() || pieces_.back().external)
      pieces_.push_back(Piece{nullptr, owned_.size(), 0});
    owned_.insert(owned_.end(), p, p + n);
    pieces_.back().size += n;
  }
  std::vector<char> owned_;
  std::vector<Piece> pieces_;
};

/// Reads a record's fields. Every count is checked against the bytes left before anything is
/// allocated: a record can be checksum-valid and still hostile.
class Reader {
 public:
  Reader(const char* data, std::size_t size) : p_(data), end_(data + size) {}
  template <class T>
  T raw() {
    if (left() < sizeof(T)) throw std::runtime_error("truncated record");
    T value;
    std::memcpy(&value, p_, sizeof value);
    p_ += sizeof value;
    return value;
  }
  /// A count of items that take at least `least` bytes each.
  std::size_t count(std::size_t least) {
    const auto n = raw<std::uint64_t>();
    if (n > left() / least)
      throw std::runtime_error("a count of " + std::to_string(n) + " exceeds the record");
    return static_cast<std::size_t>(n);
  }
  std::string text() {
    const std::size_t n = count(1);
    std::string s(p_, n);
    p_ += n;
    return s;
  }
  std::vector<double> numbers() {
    const std::size_t n = count(sizeof(double));
    std::vector<double> v(n);
    if (n > 0) std::memcpy(v.data(), p_, n * sizeof(double));
    p_ += n * sizeof(double);
    return v;
  }
  std::vector<MetricInfo> metrics() {
    std::vector<MetricInfo> m(count(3 * sizeof(std::uint64_t)));  // three texts each
    for (MetricInfo& info : m) {
      info.name = text();
      info.unit = text();
      info.description = text();
    }
    return m;
  }
  /// A table whose columns have one length.
  Table table() {
    Table t{text(), text()};
    // Smallest column: three texts, a flag and a count.
    t.columns.resize(count(3 * sizeof(std::uint64_t) + 1 + sizeof(std::uint64_t)));
    for (Column& c : t.columns) {
      c.name = text();
      c.unit = text();
      c.description = text();
      const auto flag = raw<std::uint8_t>();
      if (flag > 1) throw std::runtime_error("column " + c.name + " is neither numbers nor text");
      c.text = flag == 1;
      if (!c.text) {
        c.numbers = numbers();
      } else {
        c.strings.resize(count(sizeof(std::uint64_t)));
        for (std::string& s : c.strings)
          s = text();
      }
      if (c.size() != t.columns.front().size())
        throw std::runtime_error("columns of table " + t.name + " differ in length");
    }
    return t;
  }
  std::size_t left() const { return static_cast<std::size_t>(end_ - p_); }

 private:
  const char* p_;
  const char* end_;
};

/// The record's pieces; the record must outlive them.
void encode(const RunRecord& r, Writer& w) {
  w.text(r.key);
  w.text(r.variant);
  w.raw<std::uint64_t>(r.parameters.size());
  for (const auto& [k, v] : r.parameters) {
    w.text(k);
    w.text(v);
  }
  w.raw(r.replicate);
  w.raw(r.seed);
  w.text(r.status);
  w.text(r.error);
  w.text(r.identity);
  w.raw(r.design.index);
  w.raw(r.design.block);
  w.text(r.design.role);
  w.raw(r.design.factor);
  w.metrics(r.summary_metrics);
  w.numbers(r.summary);
  w.numbers(r.time);
  w.metrics(r.series_metrics);
  for (const auto& s : r.series)
    w.numbers(s);
  w.table(r.interventions);
}

/// Smallest encoding of a parameter: two texts.
constexpr std::size_t kParameterBytes = 2 * 8;

/// One record's payload; throws std::runtime_error if it is not one whole, consistent record.
RunRecord decode(const char* data, std::size_t size) {
  Reader in(data, size);
  RunRecord r;
  r.key = in.text();
  r.variant = in.text();
  r.parameters.resize(in.count(kParameterBytes));
  for (auto& [k, v] : r.parameters) {
    k = in.text();
    v = in.text();
  }
  r.replicate = in.raw<std::uint64_t>();
  r.seed = in.raw<std::uint64_t>();
  r.status = in.text();
  r.error = in.text();
  r.identity = in.text();
  r.design.index = in.raw<std::int64_t>();
  r.design.block = in.raw<std::int64_t>();
  r.design.role = in.text();
  r.design.factor = in.raw<std::int64_t>();
  r.summary_metrics = in.metrics();
  r.summary = in.numbers();
  if (r.summary.size() != r.summary_metrics.size())
    throw std::runtime_error(std::to_string(r.summary.size()) + " summary values for " +
                             std::to_string(r.summary_metrics.size()) + " summary metrics");
  r.time = in.numbers();
  r.series_metrics = in.metrics();
  r.series.resize(r.series_metrics.size());
  for (auto& s : r.series)
    s = in.numbers();
  r.interventions = in.table();
  // Bytes left over: more series than series_metrics, or another writer's record.
  if (in.left() != 0)
    throw std::runtime_error(std::to_string(in.left()) + " bytes after the end of the record");
  return r;
}

}  // namespace

RunJournal::RunJournal(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error(path_ + ": cannot create journal: " + std::strerror(errno));
  ::flock(fd_, LOCK_EX | LOCK_NB);  // advisory: only keeps resuming sweeps away
}

RunJournal::~RunJournal() {
  if (fd_ >= 0) ::close(fd_);
}

void RunJournal::append(const RunRecord& record) {
  // magic, payload size, payload, checksum: one writev from where the numbers lie.
  Writer payload;
  encode(record, payload);
  const std::uint64_t size = payload.size();
  char header[sizeof kMagic + sizeof size];
  std::memcpy(header, &kMagic, sizeof kMagic);
  std::memcpy(header + sizeof kMagic, &size, sizeof size);
  std::vector<iovec> pieces = payload.pieces();
  Checksum sum(size);
  for (const iovec& v : pieces)
    sum.add(static_cast<const char*>(v.iov_base), v.iov_len);
  const std::uint64_t sum_value = sum.value();
  pieces.insert(pieces.begin(), iovec{header, sizeof header});
  pieces.push_back(iovec{const_cast<std::uint64_t*>(&sum_value), sizeof sum_value});
  write_pieces(fd_, pieces, std::nullopt, path_ + ": cannot write journal");
}

void RunJournal::remove() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

std::vector<RunRecord> read_journal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
  std::vector<RunRecord> out;
  std::size_t at = 0;
  constexpr std::size_t kHeader = sizeof(std::uint32_t) + sizeof(std::uint64_t);
  while (bytes.size() - at >= kHeader + sizeof(std::uint64_t)) {
    std::uint32_t magic = 0;
    std::uint64_t size = 0;
    std::memcpy(&magic, bytes.data() + at, sizeof magic);
    std::memcpy(&size, bytes.data() + at + sizeof magic, sizeof size);
    if (magic != kMagic || size > bytes.size() - at - kHeader - sizeof(std::uint64_t)) break;
    const char* payload = bytes.data() + at + kHeader;
    std::uint64_t sum = 0;
    std::memcpy(&sum, payload + size, sizeof sum);
    if (sum != checksum(payload, size)) break;  // torn by a kill mid-write
    try {
      out.push_back(decode(payload, size));
    } catch (const std::exception& e) {
      throw FormatError(path + ": journal record " + std::to_string(out.size() + 1) + " (at byte " +
                        std::to_string(at) + ") is damaged: " + e.what());
    }
    at += kHeader + size + sizeof sum;
  }
  return out;
}

std::string journal_record_bytes(std::string_view payload) {
  const std::uint64_t size = payload.size();
  const std::uint64_t sum = checksum(payload.data(), payload.size());
  std::string out(reinterpret_cast<const char*>(&kMagic), sizeof kMagic);
  out.append(reinterpret_cast<const char*>(&size), sizeof size);
  out.append(payload);
  out.append(reinterpret_cast<const char*>(&sum), sizeof sum);
  return out;
}

std::string new_journal_path(const std::string& directory) {
  static std::atomic<unsigned> counter{0};
  char host[256] = "host";
  ::gethostname(host, sizeof host - 1);
  const std::size_t thread = std::hash<std::thread::id>{}(std::this_thread::get_id()) % 1000000;
  return (std::filesystem::path(directory) /
          ("journal-" + std::string(host) + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(thread) + "-" + std::to_string(counter++) + ".bin"))
      .string();
}

std::vector<std::string> stale_journals(const std::string& directory) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("journal-") || !name.ends_with(".bin")) continue;
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) out.push_back(entry.path().string());
    ::close(fd);  // releases the test lock
  }
  return out;
}

std::size_t recover_journals(const std::string& directory, const StudyInfo& study) {
  std::size_t recovered = 0;
  std::error_code ec;
  std::vector<std::filesystem::path> journals;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("journal-") && name.ends_with(".bin")) journals.push_back(entry.path());
  }
  for (const auto& path : journals) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;                       // another resuming sweep took it
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {  // a live sweep is writing it
      ::close(fd);
      continue;
    }
    std::vector<RunRecord> runs;
    try {
      runs = read_journal(path.string());
    } catch (const std::exception& e) {
      // Whole by its checksums yet unreadable: set it aside, so its runs run again and no
      // later resume stumbles on it.
      std::filesystem::rename(path, path.string() + ".damaged", ec);
      std::cerr << "warning: " << path.string() << ": " << e.what()
                << "; set aside as .damaged, its runs will run again\n";
      ::close(fd);
      continue;
    }
    if (!runs.empty()) {
      publish_batch(directory, study, runs);
      recovered += runs.size();
    }
    std::filesystem::remove(path, ec);
    ::close(fd);
  }
  return recovered;
}

}  // namespace interdict::io
