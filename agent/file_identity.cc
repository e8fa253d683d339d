#include "agent/file_identity.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <vector>

#include "common/coding.h"

namespace sluice::agent {
namespace {

FileStat FromStat(const struct stat& st) {
  FileStat out;
  out.key.dev = static_cast<uint64_t>(st.st_dev);
  out.key.ino = static_cast<uint64_t>(st.st_ino);
  out.size = static_cast<uint64_t>(st.st_size);
  out.nlink = static_cast<uint64_t>(st.st_nlink);
  out.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  out.regular = S_ISREG(st.st_mode);
  return out;
}

}  // namespace

std::string Fingerprint::ToString() const {
  return std::to_string(len) + ":" + std::to_string(crc);
}

Result<Fingerprint> Fingerprint::Parse(std::string_view text) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos)
    return InvalidArgumentError("bad fingerprint");
  Fingerprint fp;
  auto a = std::from_chars(text.data(), text.data() + colon, fp.len);
  auto b = std::from_chars(text.data() + colon + 1, text.data() + text.size(), fp.crc);
  if (a.ec != std::errc() || b.ec != std::errc() || a.ptr != text.data() + colon ||
      b.ptr != text.data() + text.size() || fp.len > kFingerprintBytes) {
    return InvalidArgumentError("bad fingerprint");
  }
  return fp;
}

Result<FileStat> StatPath(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return ErrnoError("stat", path, errno);
  return FromStat(st);
}

Result<FileStat> StatFd(int fd) {
  struct stat st;
  if (::fstat(fd, &st) != 0)
    return ErrnoError("fstat", "fd " + std::to_string(fd), errno);
  return FromStat(st);
}

Result<Fingerprint> ComputeFingerprint(int fd, uint32_t max_len) {
  std::vector<char> buf(max_len);
  size_t got = 0;
  while (got < max_len) {
    ssize_t n = ::pread(fd, buf.data() + got, max_len - got, static_cast<off_t>(got));
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return ErrnoError("pread", "fingerprint", errno);
    }
    if (n == 0)
      break;
    got += static_cast<size_t>(n);
  }
  Fingerprint fp;
  fp.len = static_cast<uint32_t>(got);
  fp.crc = crc32c::Value(buf.data(), got);
  return fp;
}

bool FingerprintMatches(int fd, const Fingerprint& fp) {
  if (fp.len == 0)
    return true;
  Result<Fingerprint> now = ComputeFingerprint(fd, fp.len);
  return now.ok() && *now == fp;
}

}  // namespace sluice::agent
