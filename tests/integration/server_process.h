// Runs the real `sluice` binary (SLUICE_BIN_DIR/sluice) for integration tests: a random free
// loopback port, a temporary data directory, stderr captured to a file; waits for /ready.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "testing/temp_dir.h"

namespace sluice::integration {

using ::sluice::testing::TempDir;

// A loopback port that was free a moment ago.
uint16_t PickFreePort();

class ServerProcess {
 public:
  // `data_dir` must exist or be creatable; extra args are appended to `sluice serve ...`.
  ServerProcess(std::string data_dir, std::vector<std::string> extra_args = {});
  ~ServerProcess();  // SIGKILLs a process still running

  // Starts and waits until GET /ready answers 200 (false on timeout or early exit).
  bool Start(uint16_t port = 0);
  // SIGTERM and wait; returns the exit status (-1 if it had to be killed).
  int Stop();
  // SIGKILL and reap.
  void Kill();

  uint16_t port() const { return port_; }

  pid_t pid() const { return pid_; }

  std::string log() const;  // captured stderr

 private:
  std::string data_dir_;
  std::vector<std::string> extra_args_;
  std::string log_path_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

// Runs `sluice args...` to completion; returns the exit code and captures stdout + stderr.
int RunSluice(const std::vector<std::string>& args, std::string* output, int timeout_s = 60);

std::string SluiceBinary();

}  // namespace sluice::integration
