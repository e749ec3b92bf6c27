// Credentials and secrets: Argon2id password hashes, random tokens stored
// only as hashes, and a log-in rate limiter.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace cxm::api {

// Must be called once before any other function here.
bool init_crypto();

// Argon2id (libsodium's crypto_pwhash_str, interactive limits).
std::string hash_password(const std::string& password);
bool verify_password(const std::string& hash, const std::string& password);

// `bytes` random bytes as lower-case hex (256 bits for tokens by default).
std::string random_hex(std::size_t bytes = 32);
// An id for a new record: 96 random bits, hex.
std::string new_id();
// BLAKE2b-256 of a token, hex: what the database stores instead of it.
std::string token_hash(const std::string& token);
// Compares secrets in constant time.
bool same_secret(const std::string& a, const std::string& b);

// Counts failed log-ins per key (account, address) in a sliding window;
// blocks a key after `limit` failures until the window has passed.
class LoginLimiter {
 public:
  LoginLimiter(int limit, std::chrono::seconds window) : limit_(limit), window_(window) {}
  bool blocked(const std::string& key, std::int64_t now_ms);
  void failed(const std::string& key, std::int64_t now_ms);
  void succeeded(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    std::int64_t window_start = 0;
  };
  int limit_;
  std::chrono::seconds window_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace cxm::api
