// InputFile: regular-file check, size bound and whole-file read with POSIX calls.
#include "scenario/InputFile.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "scenario/InputError.hpp"

namespace interdict::scenario {

namespace {

/// Closes a file descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string_view kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

/// The system's reason for a failed call, as the rest of a sentence.
std::string reason(int error) {
  if (error == ENOENT) return "no such file";
  std::string text = std::strerror(error);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

std::string mebibytes(std::uint64_t bytes) {
  return std::to_string(bytes >> 20) + " MiB";
}

}  // namespace

std::string read_input_file(const std::string& path, std::uint64_t max_bytes,
                            std::string_view what) {
  const std::string prefix = what.empty() ? "" : "cannot open the " + std::string(what) + ": ";
  const auto fail = [&](const std::string& reason) {
    return InputError(path, 0, 0, "", prefix + reason);
  };
  if (path.find('\0') != std::string::npos) throw fail("the file name contains a NUL character");
  // O_NONBLOCK: opening a FIFO for reading must not wait for a writer; it is refused below.
  const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) throw fail(reason(errno));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) throw fail(reason(errno));
  if (!S_ISREG(info.st_mode)) {
    const std::string_view kind = kind_of(info.st_mode);
    throw fail(kind.starts_with("not") ? std::string(kind)
                                       : "not a regular file (" + std::string(kind) + ")");
  }
  const auto size = static_cast<std::uint64_t>(info.st_size);
  if (size > max_bytes)
    throw fail("the file has " + std::to_string(size) + " bytes, more than the " +
               mebibytes(max_bytes) + " an input file may have");
  std::string text(static_cast<std::size_t>(size), '\0');
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::read(fd.get(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw fail("cannot read the file: " + reason(errno));
    if (n == 0) break;  // the file shrank while being read
    done += static_cast<std::size_t>(n);
  }
  text.resize(done);
  return text;
}

}  // namespace interdict::scenario
