// Helpers for the agent tests: temporary directories, file writing, a collecting EntrySink.
#pragma once

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "agent/entry_sink.h"
#include "testing/temp_dir.h"

namespace sluice::agent::testing {

using ::sluice::testing::TempDir;

inline void AppendFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::app | std::ios::binary);
  out << data;
}

inline void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::trunc | std::ios::binary);
  out << data;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Keeps every entry; acknowledges them at once when auto_ack (else call AckAll).
class CollectingSink final : public EntrySink {
 public:
  explicit CollectingSink(bool auto_ack = true) : auto_ack_(auto_ack) {}

  bool HasRoom() const override { return room; }

  int clients() const override { return 1; }

  void Push(ShipEntry entry) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto_ack_)
      entry.ack.Ack();
    entries_.push_back(std::move(entry));
  }

  void AckAll() {
    std::lock_guard<std::mutex> lock(mu_);
    for (ShipEntry& e : entries_) {
      e.ack.Ack();
      e.ack.progress.reset();
    }
  }

  std::vector<std::string> Lines() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::string> out;
    for (const ShipEntry& e : entries_)
      out.push_back(e.line);
    return out;
  }

  std::vector<ShipEntry> Entries() const {
    std::lock_guard<std::mutex> lock(mu_);
    return entries_;
  }

  bool room = true;

 private:
  bool auto_ack_;
  mutable std::mutex mu_;
  std::vector<ShipEntry> entries_;
};

}  // namespace sluice::agent::testing
