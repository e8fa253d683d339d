#include "agent/validate_input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <simdjson.h>
#include <zlib.h>

namespace sluice::agent {

namespace {

constexpr size_t kPadding = simdjson::SIMDJSON_PADDING;

// Appends the lines of base[begin, end) to `lines`, numbering them on from *line_number.
void SplitLines(const char* base, size_t begin, size_t end, uint64_t* line_number,
                std::vector<LineBatch::Line>* lines) {
  size_t pos = begin;
  while (pos < end) {
    const void* nl = std::memchr(base + pos, '\n', end - pos);
    size_t stop = nl == nullptr ? end : size_t(static_cast<const char*>(nl) - base);
    size_t len = stop - pos;
    if (len > 0 && base[pos + len - 1] == '\r')
      --len;
    lines->push_back({++*line_number, pos, len});
    pos = stop + 1;
  }
}

// Makes batch->storage hold at least `n` bytes plus the padding, keeping its first `keep`.
void Reserve(LineBatch* batch, size_t n, size_t keep) {
  if (batch->storage_capacity >= n + kPadding)
    return;
  size_t capacity = std::max(n + kPadding, batch->storage_capacity * 2);
  std::unique_ptr<char[]> fresh(new char[capacity]);  // not zeroed: every byte read is written
  if (keep > 0)
    std::memcpy(fresh.get(), batch->storage.get(), keep);
  batch->storage = std::move(fresh);
  batch->storage_capacity = capacity;
}

// Reads raw (or gunzipped) bytes; splits them into lines; carries a partial last line over.
class BufferedLineSource final : public LineSource {
 public:
  BufferedLineSource(int fd, bool owns_fd, uint64_t size, std::string path)
      : fd_(fd), owns_fd_(owns_fd), size_(size), path_(std::move(path)) {}

  ~BufferedLineSource() override {
    if (gzip_)
      inflateEnd(&zs_);
    if (owns_fd_)
      ::close(fd_);
  }

  Status Init() {
    // Sniff the gzip magic; the sniffed bytes are fed to whichever path follows.
    char magic[2];
    ssize_t n = ReadFd(magic, 2);
    if (n < 0)
      return ErrnoError("read", path_, errno);
    bytes_read_ = uint64_t(n);
    if (n == 2 && static_cast<unsigned char>(magic[0]) == 0x1f &&
        static_cast<unsigned char>(magic[1]) == 0x8b) {
      gzip_ = true;
      std::memset(&zs_, 0, sizeof zs_);
      if (inflateInit2(&zs_, 16 + MAX_WBITS) != Z_OK)
        return IOError("inflateInit2 failed");
      in_buf_.resize(256 << 10);
      std::memcpy(in_buf_.data(), magic, 2);
      zs_.next_in = reinterpret_cast<Bytef*>(in_buf_.data());
      zs_.avail_in = 2;
    } else {
      carry_.assign(magic, size_t(n));
    }
    return Status::Ok();
  }

  Result<bool> Next(LineBatch* batch, size_t target_bytes) override {
    batch->lines.clear();
    Reserve(batch, carry_.size() + target_bytes, 0);
    size_t size = carry_.size();
    if (size > 0)
      std::memcpy(batch->storage.get(), carry_.data(), size);
    carry_.clear();
    size_t scanned = 0;  // bytes already known to hold no newline
    while (!eof_) {
      if (size >= target_bytes &&
          std::memchr(batch->storage.get() + scanned, '\n', size - scanned) != nullptr) {
        break;
      }
      scanned = size;
      size_t want = std::max<size_t>(target_bytes, 64 << 10);
      Reserve(batch, size + want, size);
      SLUICE_ASSIGN_OR_RETURN(size_t got, Read(batch->storage.get() + size, want));
      size += got;
      if (got == 0)
        eof_ = true;
    }
    char* data = batch->storage.get();
    // Cut after the last newline; the rest waits for the next batch (or is the final line).
    if (!eof_) {
      const void* nl = ::memrchr(data, '\n', size);
      size_t end = nl == nullptr ? 0 : size_t(static_cast<const char*>(nl) - data) + 1;
      carry_.assign(data + end, size - end);
      size = end;
    }
    std::memset(data + size, 0, kPadding);
    batch->base = data;
    SplitLines(data, 0, size, &line_number_, &batch->lines);
    return !batch->lines.empty() || !eof_;
  }

  uint64_t bytes_read() const override { return bytes_read_; }

  uint64_t size_hint() const override { return size_; }

 private:
  ssize_t ReadFd(char* buf, size_t n) {
    while (true) {
      ssize_t r = ::read(fd_, buf, n);
      if (r >= 0 || errno != EINTR)
        return r;
    }
  }

  Result<size_t> Read(char* buf, size_t n) {
    if (!gzip_) {
      ssize_t r = ReadFd(buf, n);
      if (r < 0)
        return ErrnoError("read", path_, errno);
      bytes_read_ += size_t(r);
      return size_t(r);
    }
    zs_.next_out = reinterpret_cast<Bytef*>(buf);
    zs_.avail_out = unsigned(std::min<size_t>(n, 1u << 30));
    while (zs_.avail_out > 0) {
      if (zs_.avail_in == 0) {
        ssize_t r = ReadFd(in_buf_.data(), in_buf_.size());
        if (r < 0)
          return ErrnoError("read", path_, errno);
        bytes_read_ += size_t(r);
        if (r == 0) {
          if (!stream_done_)
            return IOError(path_ + ": truncated gzip stream");
          break;
        }
        zs_.next_in = reinterpret_cast<Bytef*>(in_buf_.data());
        zs_.avail_in = unsigned(r);
      }
      if (stream_done_) {  // another gzip member follows (concatenated .gz files)
        inflateReset(&zs_);
        stream_done_ = false;
      }
      int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        stream_done_ = true;
      } else if (rc != Z_OK) {
        return IOError(path_ + ": corrupt gzip stream" +
                       (zs_.msg ? std::string(": ") + zs_.msg : ""));
      }
      if (size_t(reinterpret_cast<char*>(zs_.next_out) - buf) > 0 && zs_.avail_in == 0)
        break;
    }
    return size_t(reinterpret_cast<char*>(zs_.next_out) - buf);
  }

  int fd_;
  bool owns_fd_;
  uint64_t size_;
  std::string path_;
  bool gzip_ = false;
  bool stream_done_ = false;
  z_stream zs_;
  std::string in_buf_;
  bool eof_ = false;
  std::string carry_;
  uint64_t line_number_ = 0;
  uint64_t bytes_read_ = 0;
};

}  // namespace

Result<std::unique_ptr<LineSource>> LineSource::Open(const std::string& path) {
  int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return ErrnoError("open", path, errno);
  struct stat st;
  uint64_t size = 0;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
    size = uint64_t(st.st_size);
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    if (path != "-")
      ::close(fd);
    return IOError("read " + path + ": is a directory");
  }
  auto source = std::make_unique<BufferedLineSource>(fd, path != "-", size, path);
  SLUICE_RETURN_IF_ERROR(source->Init());
  return std::unique_ptr<LineSource>(std::move(source));
}

}  // namespace sluice::agent
