// Secrets: Argon2id password hashes, random tokens and ids, and the hashes
// that the database stores instead of tokens (libsodium). Used by the API
// and by the command line (cxm user, cxm demo).
#pragma once

#include <cstddef>
#include <string>

namespace cxm::secrets {
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
// The token of a link that cxm mails (src/mail): keyed BLAKE2b of the
// participant's id under the cycle's `link_key` (hex, 32 bytes), 128 bits
// as hex. The server re-creates the link to send it again, so the database
// never holds the link itself; erasing the key makes it impossible.
// Empty when `link_key` is not 64 hex digits.
std::string derive_link_token(const std::string& link_key, const std::string& participant_id);
// Decodes standard base64 (RFC 4648, with padding; white space between
// groups allowed); false when `text` is not base64.
bool from_base64(const std::string& text, std::string& out);
// Compares secrets in constant time.
bool same_secret(const std::string& a, const std::string& b);

}  // namespace cxm::secrets
