// EntrySink: where tailers hand finished entries: the shippers of every client (fan-out), or a
// collector in tests. HasRoom() false means "stop reading" (memory bound).
// Thread-safety: implementations are called from the tailing thread; shippers lock inside.
#pragma once

#include <vector>

#include "agent/batch.h"
#include "agent/shipper.h"

namespace sluice::agent {

class EntrySink {
 public:
  virtual ~EntrySink() = default;
  virtual bool HasRoom() const = 0;
  // How many acknowledgements each entry will receive (one per client).
  virtual int clients() const = 0;
  virtual void Push(ShipEntry entry) = 0;
};

// Copies each entry to every shipper.
class ShipperFanout final : public EntrySink {
 public:
  explicit ShipperFanout(std::vector<Shipper*> shippers) : shippers_(std::move(shippers)) {}

  bool HasRoom() const override {
    for (const Shipper* s : shippers_) {
      if (!s->HasRoom())
        return false;
    }
    return true;
  }

  int clients() const override { return static_cast<int>(shippers_.size()); }

  void Push(ShipEntry entry) override {
    for (size_t i = 0; i + 1 < shippers_.size(); ++i)
      shippers_[i]->Push(entry);
    if (!shippers_.empty())
      shippers_.back()->Push(std::move(entry));
  }

 private:
  std::vector<Shipper*> shippers_;
};

}  // namespace sluice::agent
