#include "ingest/body_encoding.h"

#include <algorithm>
#include <cctype>

#include <zlib.h>

namespace sluice::ingest {

namespace {

Status TooLarge(size_t size, size_t limit) {
  return Status(StatusCode::kTooLarge, BodyTooLargeMessage(size, limit));
}

// Inflates `in` with zlib window bits `window_bits` (16+15: gzip, -15: raw deflate).
Status Inflate(std::string_view in, int window_bits, size_t max_out, std::string* out) {
  const bool gzip = window_bits > 0;
  const char* kind = gzip ? "gzip" : "flate";
  if (gzip && (in.size() < 2 || static_cast<unsigned char>(in[0]) != 0x1f ||
               static_cast<unsigned char>(in[1]) != 0x8b)) {
    return InvalidArgumentError(in.empty() ? "EOF" : "gzip: invalid header");
  }
  z_stream zs{};
  if (inflateInit2(&zs, window_bits) != Z_OK)
    return InternalError("inflateInit2 failed");
  out->clear();
  size_t chunk = std::clamp<size_t>(in.size() * 4, 4096, 1 << 20);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), UINT32_MAX));
  size_t in_left = in.size() - zs.avail_in;
  Status result;
  while (true) {
    if (out->size() == max_out + 1) {
      result = TooLarge(out->size(), max_out);
      break;
    }
    size_t used = out->size();
    size_t grow = std::min(chunk, max_out + 1 - used);
    out->resize(used + grow);
    zs.next_out = reinterpret_cast<Bytef*>(out->data() + used);
    zs.avail_out = static_cast<uInt>(grow);
    int rc = inflate(&zs, Z_NO_FLUSH);
    out->resize(out->size() - zs.avail_out);
    chunk = std::min<size_t>(chunk * 2, 16 << 20);
    if (zs.avail_in == 0 && in_left > 0) {
      size_t more = std::min<size_t>(in_left, UINT32_MAX);
      zs.avail_in = static_cast<uInt>(more);
      in_left -= more;
    }
    if (rc == Z_STREAM_END) {
      // Go's gzip reader reads concatenated members; raw deflate ignores trailing bytes.
      if (gzip && zs.avail_in > 0) {
        const unsigned char* p = zs.next_in;
        if (zs.avail_in < 2 || p[0] != 0x1f || p[1] != 0x8b) {
          result = InvalidArgumentError("gzip: invalid header");
          break;
        }
        inflateReset(&zs);
        continue;
      }
      break;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
      result = InvalidArgumentError("unexpected EOF");
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      std::string msg = std::string(kind) + ": corrupt input";
      if (zs.msg != nullptr)
        msg += std::string(" (") + zs.msg + ")";
      result = InvalidArgumentError(std::move(msg));
      break;
    }
  }
  inflateEnd(&zs);
  if (result.ok())
    out->reserve(out->size() + kJsonPadding);
  return result;
}

// Go's mime isTokenChar.
bool IsTokenChar(char c) {
  if (c <= 0x20 || c >= 0x7f)
    return false;
  return std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

std::string_view ConsumeToken(std::string_view* s) {
  size_t n = 0;
  while (n < s->size() && IsTokenChar((*s)[n]))
    ++n;
  std::string_view tok = s->substr(0, n);
  s->remove_prefix(n);
  return tok;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && IsSpace(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back()))
    s.remove_suffix(1);
  return s;
}

// Validates `; key=value` parameters (value: token or quoted-string), as Go does.
Status CheckMediaParams(std::string_view v) {
  while (true) {
    v = TrimSpace(v);
    if (v.empty())
      return Status::Ok();
    if (v == ";")
      return Status::Ok();  // trailing semicolon is ignored
    if (v.front() != ';')
      return InvalidArgumentError("mime: invalid media parameter");
    v.remove_prefix(1);
    v = TrimSpace(v);
    if (v.empty())
      return Status::Ok();
    std::string_view key = ConsumeToken(&v);
    v = TrimSpace(v);
    if (key.empty() || v.empty() || v.front() != '=') {
      return InvalidArgumentError("mime: invalid media parameter");
    }
    v.remove_prefix(1);
    v = TrimSpace(v);
    if (!v.empty() && v.front() == '"') {
      size_t i = 1;
      bool closed = false;
      while (i < v.size()) {
        if (v[i] == '\\' && i + 1 < v.size()) {
          i += 2;
          continue;
        }
        if (v[i] == '"') {
          closed = true;
          break;
        }
        ++i;
      }
      if (!closed)
        return InvalidArgumentError("mime: invalid media parameter");
      v.remove_prefix(i + 1);
    } else if (ConsumeToken(&v).empty()) {
      return InvalidArgumentError("mime: invalid media parameter");
    }
  }
}

}  // namespace

std::string BodyTooLargeMessage(size_t size, size_t limit) {
  return "request body too large: " + std::to_string(size) +
         " bytes, limit: " + std::to_string(limit) + " bytes";
}

Status UndoContentEncoding(std::string_view encoding, std::string_view body,
                           size_t max_decompressed, std::string* scratch,
                           std::string_view* decoded) {
  if (encoding.empty() || encoding == "snappy") {
    *decoded = body;
    return Status::Ok();
  }
  int window_bits;
  if (encoding == "gzip") {
    window_bits = 16 + MAX_WBITS;
  } else if (encoding == "deflate") {
    window_bits = -MAX_WBITS;
  } else {
    return InvalidArgumentError("Content-Encoding \"" + std::string(encoding) + "\" not supported");
  }
  SLUICE_RETURN_IF_ERROR(Inflate(body, window_bits, max_decompressed, scratch));
  *decoded = *scratch;
  return Status::Ok();
}

Result<BodyFormat> ParseContentType(std::string_view content_type) {
  size_t semi = content_type.find(';');
  std::string_view base = TrimSpace(content_type.substr(0, semi));
  std::string media;
  media.reserve(base.size());
  for (char c : base)
    media.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  std::string_view rest = media;
  std::string_view type = ConsumeToken(&rest);
  if (type.empty())
    return InvalidArgumentError("mime: no media type");
  if (!rest.empty()) {
    if (rest.front() != '/')
      return InvalidArgumentError("mime: expected slash after first token");
    rest.remove_prefix(1);
    if (ConsumeToken(&rest).empty())
      return InvalidArgumentError("mime: expected token after slash");
    if (!rest.empty())
      return InvalidArgumentError("mime: unexpected content after media subtype");
  }
  if (semi != std::string_view::npos) {
    SLUICE_RETURN_IF_ERROR(CheckMediaParams(content_type.substr(semi)));
  }
  return media == "application/json" ? BodyFormat::kJson : BodyFormat::kProtobuf;
}

}  // namespace sluice::ingest
