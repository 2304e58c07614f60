// SinkAccess: how the stream reaches the Sink of a consumer end (OutputQueue, LogBuffer), a
// private base so that a consumer holding one can only query it.
#pragma once

#include <memory>

#include <logstream/sink.hpp>

namespace logstream::detail {

struct SinkAccess {
  template <typename ConsumerEnd>
  static Sink& sink(ConsumerEnd& end) noexcept {
    return end;
  }
  template <typename ConsumerEnd>
  static std::shared_ptr<Sink> shared_sink(const std::shared_ptr<ConsumerEnd>& end) noexcept {
    // shared_ptr's own conversion cannot see a private base: the aliasing constructor shares
    // the ownership, the cast is done here where the base is accessible.
    return std::shared_ptr<Sink>(end, static_cast<Sink*>(end.get()));
  }
};

}  // namespace logstream::detail
