#include "http/client_address.h"

#include <gtest/gtest.h>

namespace cxm::http {
namespace {

TrustedProxies trusted(const std::string& list) {
  std::string error;
  auto proxies = TrustedProxies::parse(list, error);
  EXPECT_TRUE(proxies) << error;
  return proxies ? *proxies : TrustedProxies{};
}

Request from(const std::string& peer, const std::string& forwarded_for = "",
             const std::string& proto = "") {
  Request r;
  r.remote_address = peer;
  if (!forwarded_for.empty()) r.headers["x-forwarded-for"] = forwarded_for;
  if (!proto.empty()) r.headers["x-forwarded-proto"] = proto;
  return r;
}

TEST(TrustedProxies, ParsesAddressesAndRanges) {
  const auto proxies = trusted("127.0.0.1, 10.0.0.0/8,::1,fd00::/8");
  EXPECT_TRUE(proxies.contains("127.0.0.1"));
  EXPECT_TRUE(proxies.contains("::ffff:127.0.0.1"));
  EXPECT_TRUE(proxies.contains("10.200.3.4"));
  EXPECT_FALSE(proxies.contains("11.0.0.1"));
  EXPECT_TRUE(proxies.contains("::1"));
  EXPECT_TRUE(proxies.contains("fd12:3456::1"));
  EXPECT_FALSE(proxies.contains("fe80::1"));
  EXPECT_FALSE(proxies.contains("not an address"));
  std::string error;
  EXPECT_FALSE(TrustedProxies::parse("10.0.0.1,proxy.example", error));
  EXPECT_NE(error.find("proxy.example"), std::string::npos);
  EXPECT_FALSE(TrustedProxies::parse("10.0.0.0/33", error));
  EXPECT_FALSE(TrustedProxies::parse("", error));
}

TEST(ClientAddress, IsThePeerUnlessThePeerIsATrustedProxy) {
  const auto proxies = trusted("127.0.0.1");
  EXPECT_EQ(client_address(from("203.0.113.9", "198.51.100.1"), proxies), "203.0.113.9");  // forged
  EXPECT_EQ(client_address(from("127.0.0.1", "198.51.100.1"), proxies), "198.51.100.1");
  EXPECT_EQ(client_address(from("127.0.0.1"), proxies), "127.0.0.1");
  EXPECT_EQ(client_address(from("127.0.0.1", "198.51.100.1"), TrustedProxies{}), "127.0.0.1");
}

TEST(ClientAddress, ReadsForwardedForFromTheRight) {
  const auto proxies = trusted("127.0.0.1,10.0.0.0/8");
  // A client may put anything at the left; what the proxies added is at the right.
  EXPECT_EQ(client_address(from("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.1.1.1"), proxies),
            "198.51.100.7");
  EXPECT_EQ(client_address(from("127.0.0.1", "10.1.1.1, 10.2.2.2"), proxies), "10.1.1.1");
  EXPECT_EQ(client_address(from("127.0.0.1", "garbage, 198.51.100.7"), proxies), "198.51.100.7");
  EXPECT_EQ(client_address(from("127.0.0.1", "198.51.100.7, garbage"), proxies), "127.0.0.1");
}

TEST(AddressBlock, IsTheIpv4AddressOrTheIpv6Network) {
  EXPECT_EQ(address_block("198.51.100.7"), "198.51.100.7");
  EXPECT_EQ(address_block("::ffff:198.51.100.7"), "198.51.100.7");
  // A /48 is one block: every /64 in it (65,536 of them) counts as one.
  EXPECT_EQ(address_block("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1::/48");
  EXPECT_EQ(address_block("2001:db8:1:ffff::99"), "2001:db8:1::/48");
  EXPECT_EQ(address_block("2001:db8:2::1"), "2001:db8:2::/48");
  EXPECT_EQ(address_block("unknown"), "unknown");
}

TEST(ForwardedHttps, OnlyFromATrustedProxy) {
  const auto proxies = trusted("127.0.0.1");
  EXPECT_TRUE(forwarded_https(from("127.0.0.1", "", "https"), proxies));
  EXPECT_TRUE(forwarded_https(from("127.0.0.1", "", "HTTPS, http"), proxies));
  EXPECT_FALSE(forwarded_https(from("127.0.0.1", "", "http"), proxies));
  EXPECT_FALSE(forwarded_https(from("127.0.0.1"), proxies));
  EXPECT_FALSE(forwarded_https(from("203.0.113.9", "", "https"), proxies));
}

}  // namespace
}  // namespace cxm::http
