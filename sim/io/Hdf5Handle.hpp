// Hdf5Handle: owning wrapper for HDF5 identifiers, and error checking for HDF5 calls.
#pragma once

#include <hdf5.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace interdict::io {

/// An HDF5 failure (I/O error, corrupt or foreign file).
class Hdf5Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What the HDF5 error stack says caused the failure just reported (the operating system's
/// message, such as "No space left on device", when there is one), or empty.
std::string hdf5_cause();

/// "HDF5: cannot WHAT", with the cause when HDF5 recorded one.
inline std::string hdf5_failure(const std::string& what) {
  const std::string cause = hdf5_cause();
  return "HDF5: cannot " + what + (cause.empty() ? std::string() : ": " + cause);
}

/// Closes an HDF5 identifier with the right H5*close function when it goes out of scope.
class Hdf5Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Hdf5Handle() = default;
  Hdf5Handle(hid_t id, Closer closer, const std::string& what) : id_(id), closer_(closer) {
    if (id_ < 0) throw Hdf5Error(hdf5_failure(what));
  }
  Hdf5Handle(Hdf5Handle&& o) noexcept : id_(std::exchange(o.id_, -1)), closer_(o.closer_) {}
  Hdf5Handle& operator=(Hdf5Handle&& o) noexcept {
    std::swap(id_, o.id_);
    std::swap(closer_, o.closer_);
    return *this;
  }
  Hdf5Handle(const Hdf5Handle&) = delete;
  Hdf5Handle& operator=(const Hdf5Handle&) = delete;
  ~Hdf5Handle() {
    if (id_ >= 0 && closer_ != nullptr) closer_(id_);
  }
  hid_t get() const { return id_; }
  operator hid_t() const { return id_; }

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

/// Throws Hdf5Error if an HDF5 call returned a negative status.
inline void check(herr_t status, const std::string& what) {
  if (status < 0) throw Hdf5Error(hdf5_failure(what));
}

/// Silences HDF5's own error printing; interdict reports errors itself.
void silence_hdf5_errors();

}  // namespace interdict::io
