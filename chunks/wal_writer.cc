#include "chunks/wal_writer.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "chunks/wal_record.h"

namespace sluice::chunks::wal {

std::string SegmentFileName(uint64_t segment) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%08" PRIu64 ".wal", segment);
  return buf;
}

bool ParseSegmentFileName(std::string_view name, uint64_t* segment) {
  if (name.size() < 5 || !name.ends_with(".wal")) {
    return false;
  }
  name.remove_suffix(4);
  if (name.size() > 19) {
    return false;
  }
  uint64_t v = 0;
  for (char c : name) {
    if (c < '0' || c > '9') {
      return false;
    }
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *segment = v;
  return true;
}

WalWriter::WalWriter(FileSystem* fs, std::string dir, size_t segment_bytes)
    : fs_(fs), dir_(std::move(dir)), segment_bytes_(segment_bytes) {}

WalWriter::~WalWriter() {
  if (file_) {
    file_->Close().IgnoreError();
  }
}

Result<std::unique_ptr<WalWriter>> WalWriter::Open(FileSystem* fs, std::string dir,
                                                   uint64_t first_segment, size_t segment_bytes,
                                                   std::map<uint64_t, uint64_t> existing) {
  std::unique_ptr<WalWriter> w(new WalWriter(fs, std::move(dir), segment_bytes));
  w->sizes_ = std::move(existing);
  {
    std::lock_guard<std::mutex> l(w->mu_);
    w->StartSegmentLocked(first_segment);
  }
  // Create the file now so that an unwritable directory fails Open, not the first push.
  std::vector<Piece> pieces;
  {
    std::lock_guard<std::mutex> l(w->mu_);
    pieces.swap(w->pending_);
    w->synced_lsn_ = w->lsn_;
  }
  SLUICE_RETURN_IF_ERROR(w->WritePieces(pieces));
  SLUICE_RETURN_IF_ERROR(w->file_->Sync());
  return w;
}

void WalWriter::StartSegmentLocked(uint64_t segment) {
  segment_ = segment;
  segment_size_ = 0;
  framer_ = FragmentWriter(0);
  std::string header;
  EncodeSegmentHeader(segment, &header);
  pending_.push_back(Piece{segment, {}});
  framer_.AddRecord(header, &pending_.back().bytes);
  segment_size_ = pending_.back().bytes.size();
  lsn_ += segment_size_;
  sizes_[segment] = segment_size_;
  ++records_;
}

uint64_t WalWriter::Append(const FillFn& fill) {
  std::lock_guard<std::mutex> l(mu_);
  if (segment_size_ >= segment_bytes_) {
    StartSegmentLocked(segment_ + 1);
  }
  if (pending_.empty() || pending_.back().segment != segment_) {
    pending_.push_back(Piece{segment_, {}});
  }
  std::string& out = pending_.back().bytes;
  size_t before = out.size();
  fill(segment_, [&](std::string_view record) {
    framer_.AddRecord(record, &out);
    ++records_;
  });
  uint64_t added = out.size() - before;
  segment_size_ += added;
  sizes_[segment_] = segment_size_;
  lsn_ += added;
  return lsn_;
}

Result<uint64_t> WalWriter::Rotate(uint64_t min_bytes) {
  uint64_t lsn, segment;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (segment_size_ <= min_bytes) {
      return segment_;
    }
    StartSegmentLocked(segment_ + 1);
    lsn = lsn_;
    segment = segment_;
  }
  SLUICE_RETURN_IF_ERROR(Sync(lsn));  // opens the new file, closing the old one
  return segment;
}

uint64_t WalWriter::current_segment() {
  std::lock_guard<std::mutex> l(mu_);
  return segment_;
}

uint64_t WalWriter::position() {
  std::lock_guard<std::mutex> l(mu_);
  return WalPosition(segment_, segment_size_);
}

bool WalWriter::HasSegmentsBefore(uint64_t segment) {
  std::lock_guard<std::mutex> l(mu_);
  uint64_t bound = std::min(segment, file_segment_.load());
  return !sizes_.empty() && sizes_.begin()->first < bound;
}

Status WalWriter::WritePieces(std::vector<Piece>& pieces) {
  for (Piece& p : pieces) {
    if (!file_ || p.segment != file_segment_) {
      if (file_) {
        SLUICE_RETURN_IF_ERROR(file_->Sync());
        SLUICE_RETURN_IF_ERROR(file_->Close());
        file_.reset();
      }
      SLUICE_ASSIGN_OR_RETURN(file_,
                              fs_->NewWritableFile(JoinPath(dir_, SegmentFileName(p.segment))));
      file_segment_ = p.segment;
      SLUICE_RETURN_IF_ERROR(fs_->SyncDir(dir_));  // the new file's name must survive a crash
    }
    SLUICE_RETURN_IF_ERROR(file_->Append(p.bytes));
  }
  return Status::Ok();
}

Status WalWriter::status() {
  std::lock_guard<std::mutex> l(sync_mu_);
  return failed_;
}

Status WalWriter::Sync(uint64_t lsn) {
  std::unique_lock<std::mutex> l(sync_mu_);
  while (synced_lsn_ < lsn) {
    if (!failed_.ok()) {
      return failed_;
    }
    if (leader_active_) {
      sync_cv_.wait(l);
      continue;
    }
    leader_active_ = true;
    l.unlock();
    std::vector<Piece> pieces;
    uint64_t target;
    {
      std::lock_guard<std::mutex> m(mu_);
      pieces.swap(pending_);
      target = lsn_;
    }
    Status st = WritePieces(pieces);
    if (st.ok()) {
      st = file_->Sync();
    }
    l.lock();
    leader_active_ = false;
    ++syncs_;
    if (st.ok()) {
      synced_lsn_ = target;
    } else {
      failed_ = st.WithPrefix("wal");
    }
    sync_cv_.notify_all();
  }
  return failed_.ok() ? Status::Ok() : failed_;
}

Status WalWriter::DeleteSegmentsBefore(uint64_t segment) {
  std::vector<uint64_t> victims;
  {
    std::lock_guard<std::mutex> l(mu_);
    // Never the file being written (file_segment_ <= segment_).
    uint64_t bound = std::min(segment, file_segment_.load());
    for (auto it = sizes_.begin(); it != sizes_.end() && it->first < bound;) {
      victims.push_back(it->first);
      it = sizes_.erase(it);
    }
  }
  Status result;
  for (uint64_t s : victims) {
    Status st = fs_->RemoveFile(JoinPath(dir_, SegmentFileName(s)));
    if (!st.ok() && result.ok()) {
      result = st;
    }
  }
  return result;
}

WalWriter::Stats WalWriter::GetStats() {
  Stats s;
  {
    std::lock_guard<std::mutex> l(mu_);
    s.segments = sizes_.size();
    for (const auto& [seg, size] : sizes_) {
      s.bytes += size;
    }
    s.records = records_;
  }
  std::lock_guard<std::mutex> l(sync_mu_);
  s.syncs = syncs_;
  return s;
}

}  // namespace sluice::chunks::wal
