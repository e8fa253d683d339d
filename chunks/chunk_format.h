// Constants of the chunk object format (chunks/FORMAT.md), shared by the encoder, the decoder
// and the fuzzer. Changing any of them changes the format: bump kChunkVersion.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sluice::chunks {

inline constexpr std::string_view kChunkMagic = "SLCK";  // first and last 4 bytes of a chunk
inline constexpr uint8_t kChunkVersion = 1;
inline constexpr uint8_t kCodecZstd = 1;  // the only block codec of version 1
// magic (4) + version (1) + codec (1)
inline constexpr size_t kChunkHeaderSize = 6;
// meta offset fixed64 (8) + meta CRC32C masked fixed32 (4) + magic (4)
inline constexpr size_t kChunkFooterSize = 16;
// Upper bounds checked while decoding, so corrupt sizes cannot make us allocate wildly.
inline constexpr uint64_t kMaxBlockUncompressedBytes = uint64_t{64} << 20;
inline constexpr uint32_t kMaxLabelsPerStream = 1024;

}  // namespace sluice::chunks
