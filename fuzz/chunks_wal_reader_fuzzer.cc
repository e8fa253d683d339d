// Feeds arbitrary bytes as a WAL segment through the framing reader and the record decoder,
// exactly as replay does: must never crash, hang or over-allocate.
#include <cstddef>
#include <cstdint>
#include <string>

#include "chunks/wal_framing.h"
#include "chunks/wal_record.h"
#include "common/mem_file_system.h"

namespace {

class NullReporter final : public sluice::chunks::wal::FragmentReader::Reporter {
 public:
  void Corruption(uint64_t, const sluice::Status&) override {}
};

class CountingVisitor final : public sluice::chunks::wal::RecordVisitor {
 public:
  void OnSegmentHeader(uint64_t, uint8_t) override { ++n; }

  void OnSeries(std::string_view, uint64_t, sluice::Labels l) override { n += l.size(); }

  void OnEntries(std::string_view, uint64_t, uint64_t, std::span<const sluice::Entry> e) override {
    for (const auto& x : e) {
      n += x.line.size() + x.metadata.size();
    }
  }

  void OnFlushed(std::string_view, uint64_t, uint64_t, uint64_t, std::string_view k) override {
    n += k.size();
  }

  size_t n = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sluice;
  static std::unique_ptr<FileSystem> fs = NewMemFileSystem();
  {
    auto f = fs->NewWritableFile("/segment");
    if (!f.ok()) {
      return 0;
    }
    (*f)->Append(std::string_view(reinterpret_cast<const char*>(data), size)).IgnoreError();
  }
  auto file = fs->NewSequentialFile("/segment");
  if (!file.ok()) {
    return 0;
  }
  NullReporter reporter;
  CountingVisitor visitor;
  chunks::wal::FragmentReader reader(file->get(), &reporter);
  std::string_view record;
  std::string scratch;
  while (reader.ReadRecord(&record, &scratch)) {
    chunks::wal::DecodeRecord(record, &visitor).IgnoreError();
  }
  // Also the record decoder alone on the raw bytes (no framing).
  chunks::wal::DecodeRecord(std::string_view(reinterpret_cast<const char*>(data), size), &visitor)
      .IgnoreError();
  return 0;
}
