#include "store/writer.h"

#include <future>
#include <typeinfo>

#include "store/store_impl.h"

namespace cxm::store {

Writer::Writer(std::unique_ptr<soci::session> session, Connect connect)
    : session_(std::move(session)),
      connect_(std::move(connect)),
      immediate_(session_->get_backend_name() == "sqlite3"),
      thread_([this] { loop(); }) {}

Writer::~Writer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

namespace {

// Runs `submit(job, done)` and waits for `done`; rethrows its failure.
template <typename J, typename Submit>
void run_and_wait(J job, Submit submit) {
  std::promise<void> committed;
  auto outcome = committed.get_future();
  submit(std::move(job), [&committed](std::exception_ptr failure) {
    if (failure) {
      committed.set_exception(failure);
    } else {
      committed.set_value();
    }
  });
  outcome.get();
}

}  // namespace

void Writer::run(Job job) {
  run_and_wait(std::move(job), [this](Job j, Done d) { submit(std::move(j), std::move(d)); });
}

void Writer::run(std::shared_ptr<MergedJob> job) {
  run_and_wait(std::move(job), [this](std::shared_ptr<MergedJob> j, Done d) {
    submit(std::move(j), std::move(d));
  });
}

void Writer::submit(Job job, Done done) {
  queue(std::make_unique<Pending>(Pending{std::move(job), nullptr, std::move(done)}));
}

void Writer::submit(std::shared_ptr<MergedJob> job, Done done) {
  queue(std::make_unique<Pending>(Pending{nullptr, std::move(job), std::move(done)}));
}

void Writer::queue(std::unique_ptr<Pending> pending) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) throw StoreError("the database is shutting down");
    queue_.push_back(std::move(pending));
  }
  wake_.notify_one();
}

void Writer::loop() {
  constexpr std::size_t kMaxGroup = 512;
  for (;;) {
    std::vector<std::unique_ptr<Pending>> group;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      while (!queue_.empty() && group.size() < kMaxGroup) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<std::exception_ptr> outcome(group.size());
    if (!run_together(group)) {
      for (std::size_t i = 0; i < group.size(); ++i) outcome[i] = run_alone(*group[i]);
    }
    for (std::size_t i = 0; i < group.size(); ++i) {
      try {
        group[i]->done(outcome[i]);
      } catch (...) {
        // A callback must not throw; if one does, the writer carries on.
      }
    }
  }
}

void Writer::begin() {
  // SOCI's begin() says BEGIN, which on SQLite reads first and takes the
  // write lock at the first write: a check made before that could read a
  // snapshot older than another process's commit.
  if (immediate_) {
    *session_ << "BEGIN IMMEDIATE";
    return;
  }
  try {
    session_->begin();
  } catch (const soci::soci_error&) {
    // The connection was lost while idle (the server restarted, a network
    // fault). Nothing of the job has run: start it on a new connection.
    if (!connect_ || session_->is_connected()) throw;
    replace_session();
    session_->begin();
  }
}

void Writer::rollback() noexcept {
  try {
    if (immediate_) {
      *session_ << "ROLLBACK";
    } else {
      session_->rollback();
    }
  } catch (...) {
    // Nothing was open, or the connection is gone: nothing to undo.
  }
}

// A lost PostgreSQL connection fails every later job until it is replaced;
// SQLite has no connection to lose.
void Writer::reconnect_if_lost() noexcept {
  if (immediate_ || !connect_) return;
  try {
    if (session_->is_connected()) return;
    replace_session();
  } catch (...) {
    // Still unreachable; the next failing job tries again.
  }
}

// A new session in place of a lost one. Throws StoreError when the
// database cannot be reached; the lost session stays until the next try.
void Writer::replace_session() {
  auto fresh = connect_();
  session_slots_.clear();  // statements prepared on the old session go first
  session_ = std::move(fresh);
}

// All jobs in one transaction: the common case, one commit for the group.
bool Writer::run_together(const std::vector<std::unique_ptr<Pending>>& group) {
  try {
    begin();
    for (std::size_t i = 0; i < group.size();) {
      Pending& first = *group[i++];
      if (!first.merged) {
        first.job(*session_);
        continue;
      }
      MergedJob& head = *first.merged;
      std::vector<MergedJob*> merged{&head};
      const auto same_type = [&head](const MergedJob* next) {
        return next != nullptr && typeid(*next) == typeid(head);
      };
      while (i < group.size() && same_type(group[i]->merged.get()))
        merged.push_back(group[i++]->merged.get());
      head.run(*session_, merged);
    }
    if (immediate_) {
      *session_ << "COMMIT";
    } else {
      session_->commit();
    }
    return true;
  } catch (...) {
    rollback();
    reconnect_if_lost();
    return false;
  }
}

std::exception_ptr Writer::run_alone(Pending& pending) {
  std::exception_ptr failure;
  try {
    begin();
    if (pending.merged) {
      pending.merged->run(*session_, {pending.merged.get()});
    } else {
      pending.job(*session_);
    }
    if (immediate_) {
      *session_ << "COMMIT";
    } else {
      session_->commit();
    }
    return nullptr;
  } catch (const soci::soci_error& e) {
    failure = std::make_exception_ptr(Store::Impl::failure(e));
  } catch (...) {
    failure = std::current_exception();
  }
  rollback();
  reconnect_if_lost();
  return failure;
}

}  // namespace cxm::store
