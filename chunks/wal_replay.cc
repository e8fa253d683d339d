#include "chunks/wal_replay.h"

#include <spdlog/spdlog.h>

#include "chunks/wal_format.h"
#include "chunks/wal_framing.h"
#include "chunks/wal_writer.h"

namespace sluice::chunks::wal {

namespace {

class LoggingReporter final : public FragmentReader::Reporter {
 public:
  LoggingReporter(std::string path, uint64_t* count, bool log)
      : path_(std::move(path)), count_(count), log_(log) {}

  void Corruption(uint64_t bytes, const Status& reason) override {
    ++*count_;
    if (log_) {
      spdlog::warn("wal: {}: dropping {} bytes: {}", path_, bytes, reason.message());
    }
  }

 private:
  std::string path_;
  uint64_t* count_;
  bool log_;
};

}  // namespace

Result<ReplayResult> ReplayWal(FileSystem* fs, const std::string& dir, RecordVisitor* visitor,
                               const ReplayOptions& options) {
  ReplayResult result;
  SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> names, fs->GetChildren(dir));
  for (const std::string& name : names) {
    uint64_t segment;
    if (!ParseSegmentFileName(name, &segment)) {
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(uint64_t size, fs->GetFileSize(JoinPath(dir, name)));
    result.segments[segment] = size;
  }
  for (const auto& [segment, size] : result.segments) {
    std::string path = JoinPath(dir, SegmentFileName(segment));
    SLUICE_ASSIGN_OR_RETURN(auto file, fs->NewSequentialFile(path));
    if (options.begin_segment) {
      options.begin_segment(segment);
    }
    LoggingReporter reporter(path, &result.corruptions, options.log_corruption);
    FragmentReader reader(file.get(), &reporter);
    std::string_view record;
    std::string scratch;
    bool first = true;
    while (reader.ReadRecord(&record, &scratch)) {
      ++result.records;
      uint8_t type = record.empty() ? 0 : static_cast<uint8_t>(record[0]);
      if (first && type != kSegmentHeader) {
        reporter.Corruption(0, CorruptionError("segment does not start with a header record"));
      }
      first = false;
      if (options.want && !options.want(type)) {
        continue;
      }
      if (options.record_position) {
        options.record_position(WalPosition(segment, reader.last_record_end()));
      }
      Status st = DecodeRecord(record, visitor);
      if (st.code() == StatusCode::kFailedPrecondition) {
        if (options.log_corruption) {
          spdlog::error("wal: {}: {}; ignoring the rest of the segment", path, st.message());
        }
        ++result.corruptions;
        break;
      }
      if (!st.ok()) {
        reporter.Corruption(record.size(), st);
      }
    }
  }
  return result;
}

}  // namespace sluice::chunks::wal
