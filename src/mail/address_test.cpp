#include "mail/address.h"

#include <gtest/gtest.h>

namespace cxm::mail {
namespace {

TEST(AddressTest, AcceptsTheAddressesPeopleHave) {
  for (const char* address : {"anna@example.org", "anna.berg@mail.example.co.uk",
                              "o'neill+cx@example.org", "first_last-2@sub-domain.example", "x@a.bc",
                              "anna@xn--bcher-kva.example", "A.B@EXAMPLE.ORG"}) {
    EXPECT_EQ(address_error(address), std::nullopt) << address;
  }
  const std::string longest = std::string(64, 'a') + "@" + std::string(63, 'b') + "." +
                              std::string(63, 'c') + "." + std::string(61, 'd');
  ASSERT_EQ(longest.size(), 254u);
  EXPECT_EQ(address_error(longest), std::nullopt);
}

TEST(AddressTest, RefusesWhatCouldBecomeAHeaderOrSeveralAddresses) {
  const std::pair<std::string, std::string> cases[] = {
      {"anna@example.org\r\nBcc: all@example.org", "line break"},
      {"anna@example.org\n", "line break"},
      {std::string("anna@exam\0ple.org", 17), "control character"},
      {"anna\x1b@example.org", "control character"},
      {"anna berg@example.org", "white space"},
      {"anna@example.org\t", "white space"},
      {"\"anna\"@example.org", "quotation mark"},
      {"Anna <anna@example.org>", "white space"},
      {"<anna@example.org>", "angle bracket"},
      {"anna@example.org,bob@example.org", "comma"},
      {"anna@example.org;bob@example.org", "semicolon"},
      {"anna(x)@example.org", "'('"},
      {"anna@[192.0.2.1]", "'['"},
      {"anna\\@example.org", "'\\'"},
  };
  for (const auto& [address, words] : cases) {
    const auto error = address_error(address);
    ASSERT_TRUE(error) << address;
    EXPECT_NE(error->find(words), std::string::npos) << *error;
    for (char c : *error) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << *error;
  }
}

TEST(AddressTest, RefusesMissingOrMalformedParts) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "empty"},
      {"anna.example.org", "no @"},
      {"@example.org", "before @ is empty"},
      {"anna@", "after @ is empty"},
      {"anna@bob@example.org", "more than one @"},
      {".anna@example.org", "starts or ends with a dot"},
      {"anna.@example.org", "starts or ends with a dot"},
      {"an..na@example.org", "two dots"},
      {"änna@example.org", "non-ASCII"},
      {"anna@bücher.example", "xn-- form"},
      {"anna@localhost", "no dot"},
      {"anna@example..org", "empty part"},
      {"anna@.example.org", "empty part"},
      {"anna@example.org.", "empty part"},
      {"anna@-example.org", "hyphen"},
      {"anna@example-.org", "hyphen"},
      {"anna@exa_mple.org", "'_'"},
      {"anna@exa\xff"
       "mple.org",
       "UTF-8"},
      {std::string(65, 'a') + "@example.org", "longer than 64"},
      {"anna@" + std::string(64, 'b') + ".org", "longer than 63"},
      {std::string(64, 'a') + "@" + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
           std::string(62, 'd'),
       "longer than 254"},
  };
  for (const auto& [address, words] : cases) {
    const auto error = address_error(address);
    ASSERT_TRUE(error) << address;
    EXPECT_NE(error->find(words), std::string::npos) << address << ": " << *error;
  }
}

}  // namespace
}  // namespace cxm::mail
