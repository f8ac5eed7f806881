// SweepLock: which sweeps may work in a results directory at once, by byte-range locks.
#pragma once

#include <stdexcept>
#include <string>

namespace interdict::io {

/// A sweep directory in use by a sweep this one must not run beside.
class DirectoryBusy : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// This process's hold on DIRECTORY/sweep.lock, released when destroyed (and by the kernel when
/// the process dies, however it dies).
///
/// The locks are POSIX open-file-description byte-range locks (fcntl F_OFD_*), which NFS carries
/// to the server and which conflict between two opens in one process too. Offsets in the lock
/// file (it stays empty; locks may lie past its end):
///   0              the manifest: held exclusively while it is created, checked or grown;
///   1              the plan: held shared by every sweep that plans from the manifest as it is,
///                  from its check to its end (a study may grow the plan only when none does);
///   kCount + N     held shared by every sweep process running shards of N (N = 1: no shards);
///   kOwner + I     held exclusively by the one sweep running shard I;
///   kMember + I    held shared by every process of that sweep (the ranks of an MPI job).
/// So shards I/N and J/N run side by side, while a second sweep of the same shard, a sweep with
/// another shard count, or a new sweep while ranks of a killed one still run, is refused.
class SweepLock {
 public:
  /// Takes shard `index` of `count` for this sweep (the process that plans it: rank 0 under
  /// MPI). Throws DirectoryBusy saying what holds the directory. Where the file system
  /// has no locks (ENOLCK), warns on stderr and holds nothing: batches are still published
  /// without ever replacing a file, but a concurrent sweep is not detected.
  static SweepLock own(const std::string& directory, unsigned index, unsigned count);
  /// Joins the sweep that owns shard `index` (the other ranks of an MPI job).
  static SweepLock join(const std::string& directory, unsigned index, unsigned count);

  SweepLock(SweepLock&& other) noexcept;
  SweepLock& operator=(SweepLock&& other) noexcept;
  SweepLock(const SweepLock&) = delete;
  SweepLock& operator=(const SweepLock&) = delete;
  ~SweepLock();

  /// Holds the manifest lock until the returned guard is destroyed (waits for other holders).
  class ManifestGuard {
   public:
    explicit ManifestGuard(int fd);
    ManifestGuard(const ManifestGuard&) = delete;
    ManifestGuard& operator=(const ManifestGuard&) = delete;
    ~ManifestGuard();

   private:
    int fd_;
  };
  ManifestGuard manifest() const { return ManifestGuard(fd_); }

  /// Marks this sweep as running the manifest's plan as it is now, until this lock goes (call
  /// under the manifest lock, after checking the plan).
  void hold_plan() const;

  /// Whether another sweep runs the manifest's plan as it is now (so that plan must not grow
  /// under it). False where the file system has no locks.
  bool plan_in_use() const;

  /// Whether no other process holds any lock on the directory (so no other sweep is writing in
  /// it, and temporary files left there are stale).
  bool alone() const;

 private:
  SweepLock(int fd, std::string directory) : fd_(fd), directory_(std::move(directory)) {}
  int fd_ = -1;
  std::string directory_;
};

}  // namespace interdict::io
