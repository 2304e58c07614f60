// RedisConnection (see redis_connection.hpp).
#include "redis/redis_connection.hpp"

#include <hiredis/adapters/libuv.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <fmt/format.h>

namespace logstream::redis {

struct RedisConnection::Pending {
  ReplyHandler done;
};

namespace {

RedisConnection* owner(const redisAsyncContext* context) { return static_cast<RedisConnection*>(context->data); }

// hiredis's libuv adapter ignores a poll that reports an error: libuv reports a reset connection
// (a server killed with our commands unread) that way and stops watching the socket, and the
// connection would seem alive until a command timed out. Its poll callback is replaced by one
// that reads then: the read finds the error and hiredis ends the connection.
void on_poll(uv_poll_t* handle, int status, int events) {
  auto* p = static_cast<redisLibuvEvents*>(handle->data);
  if (p->context != nullptr && (status < 0 || (events & UV_READABLE) != 0)) redisAsyncHandleRead(p->context);
  if (status == 0 && p->context != nullptr && (events & UV_WRITABLE) != 0) redisAsyncHandleWrite(p->context);
}

void watch(void* data, int add, int remove) {
  auto* p = static_cast<redisLibuvEvents*>(data);
  p->events = (p->events | add) & ~remove;
  if (p->events != 0) {
    uv_poll_start(&p->handle, p->events, on_poll);
  } else {
    uv_poll_stop(&p->handle);
  }
}

int attach(redisAsyncContext* context, uv_loop_t* loop) {
  if (redisLibuvAttach(context, loop) != REDIS_OK) return REDIS_ERR;
  context->ev.addRead = [](void* data) { watch(data, UV_READABLE, 0); };
  context->ev.delRead = [](void* data) { watch(data, 0, UV_READABLE); };
  context->ev.addWrite = [](void* data) { watch(data, UV_WRITABLE, 0); };
  context->ev.delWrite = [](void* data) { watch(data, 0, UV_WRITABLE); };
  return REDIS_OK;
}

std::string context_error(const redisAsyncContext* context) {
  return context->errstr[0] != '\0' ? std::string(context->errstr) : std::string("the server closed the connection");
}

}  // namespace

bool is_duplicate_id(std::string_view error) noexcept {
  return error.find("equal or smaller than the target stream top item") != std::string_view::npos;
}

bool is_out_of_memory(std::string_view error) noexcept { return error.starts_with("OOM"); }

RedisConnection::RedisConnection(uv_loop_t* loop, HandleCount* handles, RedisUrl url, std::chrono::milliseconds connect_timeout,
                                 std::chrono::milliseconds command_timeout, Handlers handlers)
    : loop_(loop),
      url_(std::move(url)),
      connect_timeout_(connect_timeout),
      command_timeout_(command_timeout),
      handlers_(std::move(handlers)),
      timer_(loop, handles) {}

RedisConnection::~RedisConnection() { close(); }

void RedisConnection::connect() {
  redisAsyncContext* context = redisAsyncConnect(url_.host.c_str(), url_.port);
  if (context == nullptr) return lost("out of memory");
  if (context->err != 0) {
    std::string reason = context_error(context);
    redisAsyncFree(context);
    return lost(std::move(reason));
  }
  if (attach(context, loop_) != REDIS_OK) {
    redisAsyncFree(context);
    return lost("cannot watch the socket on the loop");
  }
  context_ = context;
  context_->data = this;
  redisAsyncSetConnectCallback(context_, &RedisConnection::on_connect);
  redisAsyncSetDisconnectCallback(context_, &RedisConnection::on_disconnect);
  timer_.start(connect_timeout_, [this] {
    if (!ready_) drop(fmt::format("no connection within {} ms", connect_timeout_.count()));
  });
}

void RedisConnection::on_connect(const redisAsyncContext* context, int status) {
  RedisConnection* self = owner(context);
  if (self == nullptr || self->dropping_) return;
  if (status != REDIS_OK) {
    // hiredis frees the context after this callback.
    self->context_ = nullptr;
    return self->lost(context_error(context));
  }
  // SELECT also asks for the password a server may require: NOAUTH shows now, not at the
  // first entry.
  self->pending_ = 0;
  self->command({"SELECT", std::to_string(self->url_.db)}, [self](const redisReply* reply, std::string_view error) {
    if (reply == nullptr) return;  // lost: on_lost follows
    if (reply->type == REDIS_REPLY_ERROR) return self->drop(std::string(reply->str, reply->len));
    self->ready_ = true;
    self->timer_.stop();
    (void)error;
    if (self->handlers_.on_ready) self->handlers_.on_ready();
  });
}

void RedisConnection::on_disconnect(const redisAsyncContext* context, int /*status*/) {
  RedisConnection* self = owner(context);
  if (self == nullptr || self->dropping_) return;
  // hiredis frees the context after this callback.
  self->context_ = nullptr;
  self->lost(context_error(context));
}

void RedisConnection::on_reply(redisAsyncContext* context, void* reply, void* data) {
  std::unique_ptr<Pending> pending(static_cast<Pending*>(data));
  RedisConnection* self = owner(context);
  if (self == nullptr) return;  // closed: nobody waits for it
  --self->pending_;
  self->last_reply_ = std::chrono::steady_clock::now();
  pending->done(static_cast<const redisReply*>(reply), reply == nullptr ? "the connection was lost" : "");
}

void RedisConnection::command(const std::vector<std::string>& args, ReplyHandler done) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  auto pending = std::make_unique<Pending>(Pending{std::move(done)});
  if (pending_ == 0) last_reply_ = std::chrono::steady_clock::now();
  if (redisAsyncCommandArgv(context_, &RedisConnection::on_reply, pending.get(), static_cast<int>(argv.size()), argv.data(),
                            lengths.data()) != REDIS_OK) {
    pending->done(nullptr, "the connection is closing");
    return;
  }
  pending.release();
  ++pending_;
  if (ready_) arm_timer();
}

void RedisConnection::arm_timer() {
  // One timer for every command: it fires when the oldest unanswered one is overdue. Replies
  // come in order, so "no reply since last_reply_" is that command's wait.
  timer_.start(command_timeout_, [this] {
    if (pending_ == 0) return;
    const auto waited = std::chrono::steady_clock::now() - last_reply_;
    if (waited >= command_timeout_) return drop(fmt::format("no reply within {} ms", command_timeout_.count()));
    arm_timer();
  });
}

void RedisConnection::drop(std::string reason) {
  if (context_ == nullptr) return;
  dropping_ = true;
  // From a reply handler hiredis frees the context only once the handler returned, and this
  // object may be gone by then: nothing of it may be reached any more.
  redisAsyncContext* context = std::exchange(context_, nullptr);
  context->data = nullptr;
  redisAsyncFree(context);
  lost(std::move(reason));
}

void RedisConnection::lost(std::string reason) {
  ready_ = false;
  timer_.stop();
  auto on_lost = std::move(handlers_.on_lost);
  handlers_ = {};
  if (on_lost) on_lost(std::move(reason));  // may destroy this connection
}

void RedisConnection::close() {
  handlers_ = {};
  timer_.close();
  if (context_ == nullptr) return;
  redisAsyncContext* context = std::exchange(context_, nullptr);
  context->data = nullptr;  // no callback reaches us any more
  dropping_ = true;
  redisAsyncFree(context);
}

}  // namespace logstream::redis
