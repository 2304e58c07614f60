// A realistic stretch of a training script's output, cut into pipe-read-sized chunks: the input
// of the framing and file sink microbenchmarks. The same line shapes as bench/gen's realistic mix.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <logstream/line_batch.hpp>

#include "chunk.hpp"

namespace bench {

/// The bytes of one pipe read; lines run across chunk boundaries, as they do in a real read.
inline constexpr std::size_t chunk_bytes = 64 * 1024;

/// At least `bytes` of output: progress lines, a tqdm bar drawn with CRs, metric chatter.
inline std::string sample_log(std::size_t bytes) {
  std::string text;
  for (std::size_t i = 0; text.size() < bytes; ++i) {
    const std::size_t trial = i % 15 + 1;
    const double score = 0.1 + static_cast<double>(i % 97) / 250.0;
    if (trial == 1) text += fmt::format("Position {}/6 #{}\n=== XGBoost Position {} === #{}\n", i % 6 + 1, i, i % 6 + 1, i);
    if (trial % 5 == 1) {
      for (int percent = 0; percent <= 100; percent += 25)
        text += fmt::format("\r{:3}%|{:<10}| {}/100 [00:01<00:02, 38.1it/s] #{}", percent,
                            std::string(static_cast<std::size_t>(percent / 10), '#'), percent, i);
      text += '\n';
    }
    text += fmt::format("  Trial {}/15: Score={:.4f} #{}\n", trial, score, i);
    text += fmt::format("epoch={} step={} loss={:.4f} acc={:.4f} lr=3e-4 grad_norm={:.3f} #{}\n", trial,
                        i * 100, 1 - score, score + 0.3, score * 3, i);
    text += fmt::format("2024-05-01 12:00:{:02},123 INFO data: shard {}/64 loaded in 42 ms #{}\n", i % 60,
                        i % 64 + 1, i);
  }
  return text;
}

/// `count` chunks of chunk_bytes, cut from one long sample so that they continue each other.
inline std::vector<std::string> sample_chunks(std::size_t count) {
  const std::string text = sample_log(count * chunk_bytes);
  std::vector<std::string> chunks;
  for (std::size_t i = 0; i < count; ++i) chunks.push_back(text.substr(i * chunk_bytes, chunk_bytes));
  return chunks;
}

/// A chunk as the reader hands it to the parser.
inline logstream::Chunk make_chunk(const std::string& bytes) {
  return logstream::Chunk{.bytes = logstream::ByteBuffer::copy_of(bytes)};
}

}  // namespace bench
