#include "agent/multiline.h"

#include <re2/re2.h>

namespace sluice::agent {

void MultilineJoiner::Feed(DecodedLine line, int64_t now_ns, std::vector<DecodedLine>* out) {
  bool first = re2::RE2::PartialMatch(line.text, *config_.firstline);
  if (first || !block_) {
    Flush(out);
    block_ = std::move(line);
    lines_ = 1;
  } else {
    block_->text += '\n';
    block_->text += line.text;
    block_->end_offset = line.end_offset;
    ++lines_;
  }
  last_ns_ = now_ns;
  if (lines_ >= config_.max_lines)
    Flush(out);
}

void MultilineJoiner::FlushIfDue(int64_t now_ns, std::vector<DecodedLine>* out) {
  if (block_ && now_ns - last_ns_ >= config_.max_wait_ns)
    Flush(out);
}

void MultilineJoiner::Flush(std::vector<DecodedLine>* out) {
  if (!block_)
    return;
  out->push_back(std::move(*block_));
  block_.reset();
  lines_ = 0;
}

std::optional<uint64_t> MultilineJoiner::PendingStart() const {
  if (!block_)
    return std::nullopt;
  return block_->start_offset;
}

std::optional<int64_t> MultilineJoiner::Deadline() const {
  if (!block_)
    return std::nullopt;
  return last_ns_ + config_.max_wait_ns;
}

}  // namespace sluice::agent
