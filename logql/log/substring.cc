#include "logql/log/substring.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace sluice::logql::log {
namespace {

// Candidates are offsets i with h[i] == n[0] and h[i + k] == n[k] (k = |n| - 1), confirmed by
// memcmp. The vector loop takes 32 offsets at a time; the last 32 offsets are taken again by
// one overlapping load (containment does not mind a candidate seen twice), and haystacks
// shorter than 32 + k fall to the scalar loop. Without AVX2: glibc memmem.
bool ContainsScalar(const char* h, size_t hn, const char* n, size_t nn) {
  const size_t k = nn - 1;
  for (size_t i = 0; i + k < hn; ++i) {
    if (h[i] == n[0] && h[i + k] == n[k] && memcmp(h + i + 1, n + 1, k - 1) == 0)
      return true;
  }
  return false;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) bool ContainsAvx2(const char* h, size_t hn, const char* n,
                                                  size_t nn) {
  const size_t k = nn - 1;
  if (hn < k + 32)
    return ContainsScalar(h, hn, n, nn);
  const __m256i first = _mm256_set1_epi8(n[0]);
  const __m256i last = _mm256_set1_epi8(n[k]);
  const size_t end = hn - k - 32;  // last offset a full load can start at
  for (size_t i = 0;; i += 32) {
    if (i > end)
      i = end;
    const __m256i bf = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(h + i));
    const __m256i bl = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(h + i + k));
    auto mask = static_cast<uint32_t>(_mm256_movemask_epi8(
        _mm256_and_si256(_mm256_cmpeq_epi8(first, bf), _mm256_cmpeq_epi8(last, bl))));
    while (mask != 0) {
      const unsigned bit = __builtin_ctz(mask);
      if (memcmp(h + i + bit + 1, n + 1, k - 1) == 0)
        return true;
      mask &= mask - 1;
    }
    if (i == end)
      return false;
  }
}

bool ContainsMemmem(const char* h, size_t hn, const char* n, size_t nn) {
  return memmem(h, hn, n, nn) != nullptr;
}

using ContainsFn = bool (*)(const char*, size_t, const char*, size_t);

ContainsFn Pick() {
  return __builtin_cpu_supports("avx2") ? ContainsAvx2 : ContainsMemmem;
}
#endif

}  // namespace

bool ContainsSubstring(std::string_view haystack, std::string_view needle) {
  if (needle.empty())
    return true;
  if (needle.size() > haystack.size())
    return false;
  if (needle.size() == 1)
    return memchr(haystack.data(), needle[0], haystack.size()) != nullptr;
#if defined(__x86_64__)
  static const ContainsFn contains = Pick();
  return contains(haystack.data(), haystack.size(), needle.data(), needle.size());
#else
  return ContainsScalar(haystack.data(), haystack.size(), needle.data(), needle.size());
#endif
}

}  // namespace sluice::logql::log
