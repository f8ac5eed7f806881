// SweepLock: open-file-description locks on DIRECTORY/sweep.lock.
#include "io/SweepLock.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>
#include <utility>

namespace interdict::io {

namespace {

constexpr off_t kPlan = 1;
constexpr off_t kCount = off_t{1} << 32;
constexpr off_t kOwner = off_t{2} << 32;
constexpr off_t kMember = off_t{3} << 32;
constexpr off_t kEnd = off_t{4} << 32;

struct flock range(short type, off_t start, off_t length) {
  struct flock l {};
  l.l_type = type;
  l.l_whence = SEEK_SET;
  l.l_start = start;
  l.l_len = length;
  return l;
}

/// Takes a lock without waiting; false if another holder conflicts.
bool take(int fd, short type, off_t start, off_t length = 1) {
  struct flock l = range(type, start, length);
  if (::fcntl(fd, F_OFD_SETLK, &l) == 0) return true;
  if (errno == EAGAIN || errno == EACCES) return false;
  throw std::system_error(errno, std::generic_category(), "lock");
}

/// The start of a lock another holder has that conflicts with an exclusive lock on the range,
/// or -1.
off_t held_by_other(int fd, off_t start, off_t length) {
  if (length <= 0) return -1;
  struct flock l = range(F_WRLCK, start, length);
  if (::fcntl(fd, F_OFD_GETLK, &l) != 0)
    throw std::system_error(errno, std::generic_category(), "test lock");
  return l.l_type == F_UNLCK ? -1 : l.l_start;
}

bool no_locks(int error) {
  return error == ENOLCK || error == ENOSYS || error == EOPNOTSUPP || error == EINVAL;
}

int open_lock_file(const std::string& directory) {
  std::filesystem::create_directories(directory);
  const std::string path = (std::filesystem::path(directory) / "sweep.lock").string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    throw std::runtime_error(path +
                             ": cannot open the directory's lock file: " + std::strerror(errno));
  return fd;
}

/// Shard count N must be the only count in use: another count's sweep would run the same runs
/// under other shard numbers.
void check_count(int fd, unsigned count) {
  const off_t mine = kCount + count;
  off_t other = held_by_other(fd, kCount, mine - kCount);
  if (other < 0) other = held_by_other(fd, mine + 1, kOwner - mine - 1);
  if (other >= 0)
    throw DirectoryBusy("a sweep of this directory with " + std::to_string(other - kCount) +
                        " shards is running; shards of one directory must all have the same count "
                        "(--shard I/" +
                        std::to_string(count) + " was asked)");
}

}  // namespace

SweepLock SweepLock::own(const std::string& directory, unsigned index, unsigned count) {
  const int fd = open_lock_file(directory);
  SweepLock lock(fd, directory);
  try {
    const std::string sweep =
        count > 1 ? "a sweep of shard " + std::to_string(index) + "/" + std::to_string(count)
                  : std::string("a sweep");
    take(fd, F_RDLCK, kCount + count);
    check_count(fd, count);
    if (!take(fd, F_WRLCK, kOwner + index))
      throw DirectoryBusy(sweep +
                          " is running in this directory already; wait for it to end (or stop "
                          "it), then use --resume");
    if (held_by_other(fd, kMember + index, 1) >= 0)
      throw DirectoryBusy("processes of " + sweep +
                          " that was stopped are still running in this directory (a killed "
                          "mpirun can leave its ranks behind for a while); wait for them to end "
                          "or kill them, then use --resume");
    take(fd, F_RDLCK, kMember + index);
  } catch (const std::system_error& e) {
    if (!no_locks(e.code().value())) throw std::runtime_error(directory + ": " + e.what());
    std::cerr << "warning: " << directory
              << ": the file system does not support locks; a second sweep started on this "
                 "directory would not be detected\n";
  }
  return lock;
}

SweepLock SweepLock::join(const std::string& directory, unsigned index, unsigned count) {
  const int fd = open_lock_file(directory);
  SweepLock lock(fd, directory);
  try {
    take(fd, F_RDLCK, kCount + count);
    take(fd, F_RDLCK, kMember + index);
  } catch (const std::system_error& e) {
    if (!no_locks(e.code().value())) throw std::runtime_error(directory + ": " + e.what());
  }
  return lock;
}

SweepLock::SweepLock(SweepLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), directory_(std::move(other.directory_)) {}

SweepLock& SweepLock::operator=(SweepLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    directory_ = std::move(other.directory_);
  }
  return *this;
}

SweepLock::~SweepLock() {
  if (fd_ >= 0) ::close(fd_);  // releases every lock of this open file description
}

SweepLock::ManifestGuard::ManifestGuard(int fd) : fd_(fd) {
  struct flock l = range(F_WRLCK, 0, 1);
  while (::fcntl(fd_, F_OFD_SETLKW, &l) != 0 && errno == EINTR) {
  }
}

SweepLock::ManifestGuard::~ManifestGuard() {
  struct flock l = range(F_UNLCK, 0, 1);
  ::fcntl(fd_, F_OFD_SETLK, &l);
}

void SweepLock::hold_plan() const {
  try {
    take(fd_, F_RDLCK, kPlan);
  } catch (const std::system_error& e) {
    if (!no_locks(e.code().value())) throw std::runtime_error(directory_ + ": " + e.what());
  }
}

bool SweepLock::plan_in_use() const {
  try {
    return held_by_other(fd_, kPlan, 1) >= 0;
  } catch (const std::system_error& e) {
    if (!no_locks(e.code().value())) throw std::runtime_error(directory_ + ": " + e.what());
    return false;
  }
}

bool SweepLock::alone() const {
  try {
    return held_by_other(fd_, 0, kEnd) < 0;
  } catch (const std::system_error&) {
    return false;  // cannot tell: leave others' files alone
  }
}

}  // namespace interdict::io
