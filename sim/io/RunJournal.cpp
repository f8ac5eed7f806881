// RunJournal: binary records of RunRecords, written and read back whole.
#include "io/RunJournal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <stdexcept>
#include <thread>

namespace interdict::io {

namespace {

constexpr std::uint32_t kMagic = 0x494A524E;  // "IJRN"

/// A checksum that catches torn writes, eight bytes at a time (records are large).
std::uint64_t checksum(const char* data, std::size_t size) {
  std::uint64_t h = 1469598103934665603ull ^ size;
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, data + i, 8);
    h = (h ^ word) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
  }
  for (; i < size; ++i)
    h = (h ^ static_cast<unsigned char>(data[i])) * 1099511628211ull;
  return h;
}

class Writer {
 public:
  template <class T>
  void raw(const T& value) {
    const char* p = reinterpret_cast<const char*>(&value);
    bytes.insert(bytes.end(), p, p + sizeof value);
  }
  void text(const std::string& s) {
    raw<std::uint64_t>(s.size());
    bytes.insert(bytes.end(), s.begin(), s.end());
  }
  void numbers(const std::vector<double>& v) {
    raw<std::uint64_t>(v.size());
    const char* p = reinterpret_cast<const char*>(v.data());
    bytes.insert(bytes.end(), p, p + v.size() * sizeof(double));
  }
  void metrics(const std::vector<MetricInfo>& m) {
    raw<std::uint64_t>(m.size());
    for (const MetricInfo& info : m) {
      text(info.name);
      text(info.unit);
      text(info.description);
    }
  }
  std::vector<char> bytes;
};

class Reader {
 public:
  Reader(const char* data, std::size_t size) : p_(data), end_(data + size) {}
  template <class T>
  T raw() {
    need(sizeof(T));
    T value;
    std::memcpy(&value, p_, sizeof value);
    p_ += sizeof value;
    return value;
  }
  std::string text() {
    const auto n = raw<std::uint64_t>();
    need(n);
    std::string s(p_, n);
    p_ += n;
    return s;
  }
  std::vector<double> numbers() {
    const auto n = raw<std::uint64_t>();
    need(n * sizeof(double));
    std::vector<double> v(n);
    std::memcpy(v.data(), p_, n * sizeof(double));
    p_ += n * sizeof(double);
    return v;
  }
  std::vector<MetricInfo> metrics() {
    std::vector<MetricInfo> m(raw<std::uint64_t>());
    for (MetricInfo& info : m) {
      info.name = text();
      info.unit = text();
      info.description = text();
    }
    return m;
  }

 private:
  void need(std::size_t n) const {
    if (static_cast<std::size_t>(end_ - p_) < n) throw std::runtime_error("truncated record");
  }
  const char* p_;
  const char* end_;
};

/// The record's bytes after `header` bytes left for the caller.
std::vector<char> encode(const RunRecord& r, std::size_t header) {
  Writer w;
  std::size_t estimate = header + 1024 + 8 * (r.summary.size() + r.time.size());
  for (const auto& s : r.series)
    estimate += 8 * (s.size() + 1);
  w.bytes.reserve(estimate);
  w.bytes.resize(header);
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
  w.metrics(r.summary_metrics);
  w.numbers(r.summary);
  w.numbers(r.time);
  w.metrics(r.series_metrics);
  for (const auto& s : r.series)
    w.numbers(s);
  w.raw<std::uint64_t>(r.interventions.size());
  for (const InterventionRecord& i : r.interventions) {
    w.numbers({i.time, i.arrests, i.cost});
    w.text(i.id);
    w.text(i.action);
    w.text(i.targets);
    w.raw<std::uint64_t>(i.network.size());
    for (const auto& [name, value] : i.network) {
      w.text(name);
      w.raw(value);
    }
  }
  return std::move(w.bytes);
}

RunRecord decode(const char* data, std::size_t size) {
  Reader in(data, size);
  RunRecord r;
  r.key = in.text();
  r.variant = in.text();
  r.parameters.resize(in.raw<std::uint64_t>());
  for (auto& [k, v] : r.parameters) {
    k = in.text();
    v = in.text();
  }
  r.replicate = in.raw<std::uint64_t>();
  r.seed = in.raw<std::uint64_t>();
  r.status = in.text();
  r.error = in.text();
  r.summary_metrics = in.metrics();
  r.summary = in.numbers();
  r.time = in.numbers();
  r.series_metrics = in.metrics();
  r.series.resize(r.series_metrics.size());
  for (auto& s : r.series)
    s = in.numbers();
  r.interventions.resize(in.raw<std::uint64_t>());
  for (InterventionRecord& i : r.interventions) {
    const std::vector<double> n = in.numbers();
    if (n.size() != 3) throw std::runtime_error("bad intervention record");
    i = InterventionRecord{n[0], "", "", "", n[1], n[2]};
    i.id = in.text();
    i.action = in.text();
    i.targets = in.text();
    i.network.resize(in.raw<std::uint64_t>());
    for (auto& [name, value] : i.network) {
      name = in.text();
      value = in.raw<double>();
    }
  }
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
  // One buffer: magic, payload size, payload, checksum; the header is filled in last.
  constexpr std::size_t kHeader = sizeof(kMagic) + sizeof(std::uint64_t);
  std::vector<char> frame = encode(record, kHeader);
  const std::uint64_t size = frame.size() - kHeader;
  std::memcpy(frame.data(), &kMagic, sizeof kMagic);
  std::memcpy(frame.data() + sizeof kMagic, &size, sizeof size);
  const std::uint64_t sum = checksum(frame.data() + kHeader, size);
  const char* sum_bytes = reinterpret_cast<const char*>(&sum);
  frame.insert(frame.end(), sum_bytes, sum_bytes + sizeof sum);
  const char* p = frame.data();
  std::size_t left = frame.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(path_ + ": cannot write journal: " + std::strerror(errno));
    p += n;
    left -= static_cast<std::size_t>(n);
  }
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
    out.push_back(decode(payload, size));
    at += kHeader + size + sizeof sum;
  }
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
    if (fd < 0) continue;  // another resuming sweep took it
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {  // a live sweep is writing it
      ::close(fd);
      continue;
    }
    const std::vector<RunRecord> runs = read_journal(path.string());
    if (!runs.empty()) {
      write_runs((std::filesystem::path(directory) / ("runs-" + runs.front().key + ".h5")).string(),
                 study, runs, /*keep=*/false);
      recovered += runs.size();
    }
    std::filesystem::remove(path, ec);
    ::close(fd);
  }
  return recovered;
}

}  // namespace interdict::io
