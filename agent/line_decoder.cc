#include "agent/line_decoder.h"

#include "common/time_util.h"

namespace sluice::agent {

std::string_view LineFormatName(LineFormat f) {
  switch (f) {
    case LineFormat::kAuto:
      return "auto";
    case LineFormat::kRaw:
      return "raw";
    case LineFormat::kDocker:
      return "docker";
    case LineFormat::kCri:
      return "cri";
  }
  return "?";
}

Result<DockerRecord> ParseDockerLine(std::string_view line, simdjson::dom::parser* parser) {
  simdjson::dom::element doc;
  if (parser->parse(line.data(), line.size()).get(doc) != simdjson::SUCCESS) {
    return InvalidArgumentError("docker line is not JSON");
  }
  simdjson::dom::object obj;
  if (doc.get(obj) != simdjson::SUCCESS)
    return InvalidArgumentError("docker line is not an object");
  std::string_view log;
  if (obj["log"].get(log) != simdjson::SUCCESS) {
    return InvalidArgumentError("docker line has no string `log`");
  }
  DockerRecord rec;
  rec.log = std::string(log);
  std::string_view stream;
  if (obj["stream"].get(stream) == simdjson::SUCCESS)
    rec.stream = std::string(stream);
  std::string_view time;
  if (obj["time"].get(time) == simdjson::SUCCESS) {
    Result<int64_t> ts = ParseRFC3339(time);
    if (ts.ok())
      rec.ts_ns = *ts;
  }
  return rec;
}

Result<CriRecord> ParseCriLine(std::string_view line) {
  size_t s1 = line.find(' ');
  if (s1 == std::string_view::npos)
    return InvalidArgumentError("cri line: no stream");
  size_t s2 = line.find(' ', s1 + 1);
  if (s2 == std::string_view::npos)
    return InvalidArgumentError("cri line: no tag");
  size_t s3 = line.find(' ', s2 + 1);
  CriRecord rec;
  rec.stream = line.substr(s1 + 1, s2 - s1 - 1);
  if (rec.stream != "stdout" && rec.stream != "stderr") {
    return InvalidArgumentError("cri line: stream is not stdout or stderr");
  }
  std::string_view tag =
      s3 == std::string_view::npos ? line.substr(s2 + 1) : line.substr(s2 + 1, s3 - s2 - 1);
  std::string_view first = tag.substr(0, tag.find(':'));
  if (first == "P") {
    rec.partial = true;
  } else if (first != "F") {
    return InvalidArgumentError("cri line: tag is not P or F");
  }
  rec.message = s3 == std::string_view::npos ? std::string_view() : line.substr(s3 + 1);
  Result<int64_t> ts = ParseRFC3339(line.substr(0, s1));
  if (!ts.ok())
    return InvalidArgumentError("cri line: bad time");
  rec.ts_ns = *ts;
  return rec;
}

LineDecoder::LineDecoder(LineFormat format, DecoderLimits limits)
    : format_(format), limits_(limits) {}

void LineDecoder::Feed(std::string_view line, uint64_t start, uint64_t end,
                       std::vector<DecodedLine>* out) {
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  if (format_ == LineFormat::kAuto) {
    if (line.empty()) {
      out->push_back(DecodedLine{std::string(), 0, "", start, end});
      return;
    }
    if (line.front() == '{' && ParseDockerLine(line, &parser_).ok()) {
      format_ = LineFormat::kDocker;
    } else if (ParseCriLine(line).ok()) {
      format_ = LineFormat::kCri;
    } else {
      format_ = LineFormat::kRaw;
    }
  }
  switch (format_) {
    case LineFormat::kDocker:
      FeedDocker(line, start, end, out);
      return;
    case LineFormat::kCri:
      FeedCri(line, start, end, out);
      return;
    default:
      out->push_back(DecodedLine{std::string(line), 0, "", start, end});
      return;
  }
}

void LineDecoder::FeedDocker(std::string_view line, uint64_t start, uint64_t end,
                             std::vector<DecodedLine>* out) {
  Result<DockerRecord> rec = ParseDockerLine(line, &parser_);
  if (!rec.ok()) {
    ++malformed_;
    out->push_back(DecodedLine{std::string(line), 0, "", start, end});
    return;
  }
  bool complete = !rec->log.empty() && rec->log.back() == '\n';
  std::string_view text = rec->log;
  if (complete)
    text.remove_suffix(1);
  if (complete && !text.empty() && text.back() == '\r')
    text.remove_suffix(1);
  AddPart(rec->stream, text, complete, rec->ts_ns, start, end, out);
}

void LineDecoder::FeedCri(std::string_view line, uint64_t start, uint64_t end,
                          std::vector<DecodedLine>* out) {
  Result<CriRecord> rec = ParseCriLine(line);
  if (!rec.ok()) {
    ++malformed_;
    out->push_back(DecodedLine{std::string(line), 0, "", start, end});
    return;
  }
  AddPart(std::string(rec->stream), rec->message, !rec->partial, rec->ts_ns, start, end, out);
}

void LineDecoder::AddPart(const std::string& stream, std::string_view text, bool complete,
                          int64_t ts, uint64_t start, uint64_t end, std::vector<DecodedLine>* out) {
  auto it = partials_.find(stream);
  if (it == partials_.end()) {
    if (complete) {
      out->push_back(DecodedLine{std::string(text), ts, stream, start, end});
      return;
    }
    it = partials_.emplace(stream, Partial{}).first;
    it->second.ts_ns = ts;
    it->second.start = start;
  }
  Partial& p = it->second;
  p.text.append(text);
  ++p.parts;
  if (complete || p.text.size() >= limits_.max_joined_bytes ||
      (format_ == LineFormat::kCri && p.parts >= limits_.max_partial_lines)) {
    out->push_back(DecodedLine{std::move(p.text), p.ts_ns, stream, p.start, end});
    partials_.erase(it);
  }
}

void LineDecoder::Flush(std::vector<DecodedLine>* out) {
  for (auto& [stream, p] : partials_) {
    // The end offset is unknown here; the start is what matters for acknowledgement.
    out->push_back(DecodedLine{std::move(p.text), p.ts_ns, stream, p.start, p.start});
  }
  partials_.clear();
}

std::optional<uint64_t> LineDecoder::PendingStart() const {
  std::optional<uint64_t> min;
  for (const auto& [stream, p] : partials_) {
    if (!min || p.start < *min)
      min = p.start;
  }
  return min;
}

}  // namespace sluice::agent
