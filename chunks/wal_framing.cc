#include "chunks/wal_framing.h"

#include <algorithm>
#include <cstring>

#include "common/coding.h"

namespace sluice::chunks::wal {

namespace {

uint32_t FragmentCrc(uint8_t type, std::string_view payload) {
  char t = static_cast<char>(type);
  return crc32c::Extend(crc32c::Value(&t, 1), payload.data(), payload.size());
}

}  // namespace

void FragmentWriter::AddRecord(std::string_view record, std::string* out) {
  bool begin = true;
  do {
    size_t leftover = kPageSize - page_offset_;
    if (leftover < kFragmentHeaderSize) {
      out->append(leftover, '\0');  // page trailer: too small for a header
      page_offset_ = 0;
    }
    size_t avail = kPageSize - page_offset_ - kFragmentHeaderSize;
    size_t len = std::min(record.size(), avail);
    bool end = len == record.size();
    uint8_t type = begin && end ? kFullFragment
                   : begin      ? kFirstFragment
                   : end        ? kLastFragment
                                : kMiddleFragment;
    std::string_view payload = record.substr(0, len);
    PutFixed32(out, crc32c::Mask(FragmentCrc(type, payload)));
    out->push_back(static_cast<char>(len & 0xff));
    out->push_back(static_cast<char>(len >> 8));
    out->push_back(static_cast<char>(type));
    out->append(payload);
    page_offset_ += kFragmentHeaderSize + len;
    record.remove_prefix(len);
    begin = false;
  } while (!record.empty());
}

FragmentReader::FragmentReader(SequentialFile* file, Reporter* reporter)
    : file_(file), reporter_(reporter), page_(kPageSize, '\0') {}

void FragmentReader::Report(uint64_t bytes, std::string_view reason) {
  if (reporter_ != nullptr) {
    reporter_->Corruption(bytes, CorruptionError(std::string(reason)));
  }
}

int FragmentReader::ReadFragment(std::string_view* fragment) {
  while (true) {
    if (buffer_.size() < kFragmentHeaderSize) {
      if (eof_) {
        if (!buffer_.empty()) {
          Report(buffer_.size(), "truncated fragment header at end of file");
        }
        buffer_ = {};
        return kEof;
      }
      // Whatever is left is a page trailer: read the next page.
      size_t got = 0;
      while (got < kPageSize) {
        std::string_view part;
        Status st = file_->Read(kPageSize - got, &part, page_.data() + got);
        if (!st.ok()) {
          Report(kPageSize, st.message());
          eof_ = true;
          break;
        }
        if (part.empty()) {
          eof_ = true;
          break;
        }
        if (part.data() != page_.data() + got) {
          std::memmove(page_.data() + got, part.data(), part.size());
        }
        got += part.size();
      }
      buffer_ = std::string_view(page_.data(), got);
      page_end_offset_ += got;
      continue;
    }
    const char* h = buffer_.data();
    uint32_t expected = crc32c::Unmask(DecodeFixed32(h));
    size_t len =
        static_cast<uint8_t>(h[4]) | (static_cast<size_t>(static_cast<uint8_t>(h[5])) << 8);
    uint8_t type = static_cast<uint8_t>(h[6]);
    if (kFragmentHeaderSize + len > buffer_.size()) {
      size_t drop = buffer_.size();
      buffer_ = {};
      if (eof_) {
        Report(drop, "torn fragment at end of file");
        return kEof;
      }
      Report(drop, "bad fragment length");
      return kBad;
    }
    if (type == kZeroFragment && len == 0) {
      // Zero-filled space (e.g. a file extended but not written before a crash): skip the page.
      buffer_ = {};
      return kBad;
    }
    std::string_view payload(h + kFragmentHeaderSize, len);
    if (FragmentCrc(type, payload) != expected) {
      size_t drop = buffer_.size();
      buffer_ = {};
      Report(drop, "fragment checksum mismatch");
      return kBad;
    }
    buffer_.remove_prefix(kFragmentHeaderSize + len);
    *fragment = payload;
    return type;
  }
}

bool FragmentReader::ReadRecord(std::string_view* record, std::string* scratch) {
  scratch->clear();
  bool in_record = false;
  while (true) {
    std::string_view fragment;
    int type = ReadFragment(&fragment);
    switch (type) {
      case kFullFragment:
        if (in_record) {
          Report(scratch->size(), "record without last fragment");
        }
        *record = fragment;
        last_record_end_ = page_end_offset_ - buffer_.size();
        return true;
      case kFirstFragment:
        if (in_record) {
          Report(scratch->size(), "record without last fragment");
        }
        scratch->assign(fragment);
        in_record = true;
        break;
      case kMiddleFragment:
        if (!in_record) {
          Report(fragment.size(), "middle fragment without first");
        } else {
          scratch->append(fragment);
        }
        break;
      case kLastFragment:
        if (!in_record) {
          Report(fragment.size(), "last fragment without first");
          break;
        }
        scratch->append(fragment);
        *record = *scratch;
        last_record_end_ = page_end_offset_ - buffer_.size();
        return true;
      case kEof:
        if (in_record) {
          Report(scratch->size(), "record torn at end of file");
        }
        scratch->clear();
        return false;
      case kBad:
        in_record = false;
        scratch->clear();
        break;
      default:
        Report(fragment.size(), "unknown fragment type " + std::to_string(type));
        in_record = false;
        scratch->clear();
        break;
    }
  }
}

}  // namespace sluice::chunks::wal
