#include "secrets/secrets.h"

#include <gtest/gtest.h>

namespace cxm::secrets {
namespace {

class SecretsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(init_crypto()); }
};

bool is_lower_hex(const std::string& text) {
  return text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST_F(SecretsTest, DerivedLinkTokenIsTheSameForTheSameKeyAndId) {
  const std::string key = random_hex(32);
  const std::string token = derive_link_token(key, "participant-1");
  EXPECT_EQ(token.size(), 32u);
  EXPECT_TRUE(is_lower_hex(token)) << token;
  EXPECT_EQ(derive_link_token(key, "participant-1"), token);
  EXPECT_EQ(token_hash(derive_link_token(key, "participant-1")), token_hash(token));
}

TEST_F(SecretsTest, DerivedLinkTokenDiffersPerKeyAndPerId) {
  const std::string key = random_hex(32);
  const std::string other_key = random_hex(32);
  const std::string token = derive_link_token(key, "participant-1");
  EXPECT_NE(derive_link_token(key, "participant-2"), token);
  EXPECT_NE(derive_link_token(other_key, "participant-1"), token);
  EXPECT_NE(derive_link_token(key, ""), token);
}

TEST_F(SecretsTest, DerivedLinkTokenIsAKnownValueForAKnownKey) {
  // Keyed BLAKE2b-128 of "cxm-link:p1" under 32 zero bytes, as Python's
  // hashlib.blake2b(b"cxm-link:p1", digest_size=16, key=bytes(32)) gives
  // it: pinned, so a change of the derivation (which would break every
  // mailed link still out) shows.
  const std::string zero_key(64, '0');
  const std::string token = derive_link_token(zero_key, "p1");
  EXPECT_EQ(token, derive_link_token(zero_key, "p1"));
  EXPECT_EQ(token, "b9929b459ffcf4fffe557298de7d857c");
}

TEST_F(SecretsTest, DerivedLinkTokenIsEmptyForABadKey) {
  EXPECT_EQ(derive_link_token("", "p1"), "");
  EXPECT_EQ(derive_link_token(std::string(62, 'a'), "p1"), "");
  EXPECT_EQ(derive_link_token(std::string(66, 'a'), "p1"), "");
  EXPECT_EQ(derive_link_token(std::string(63, 'a') + "g", "p1"), "");
  EXPECT_EQ(derive_link_token(std::string(63, 'a') + " ", "p1"), "");
  EXPECT_EQ(derive_link_token(random_hex(16), "p1"), "");
}

}  // namespace
}  // namespace cxm::secrets
