#include "report/branding.h"

#include <gtest/gtest.h>

namespace cxm::report {
namespace {

// A 1×1 PNG and the head of a 3×2 JPEG (SOI, APP0, SOF0).
const std::string kPng(
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89"
    "\0\0\0\rIDATx\x9c"
    "c\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xae"
    "B`\x82",
    67);
const std::string kJpeg(
    "\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    "\xff\xc0\0\x11\x08\0\x02\0\x03\x03\x01\x22\0\x02\x11\x01\x03\x11\x01\xff\xd9",
    41);

TEST(Branding, APngOrAJpegIsAcceptedWithItsSize) {
  const LogoCheck png = check_logo(kPng);
  EXPECT_EQ(png.error, "");
  EXPECT_EQ(png.type, "image/png");
  EXPECT_EQ(png.width, 1);
  EXPECT_EQ(png.height, 1);
  const LogoCheck jpeg = check_logo(kJpeg);
  EXPECT_EQ(jpeg.error, "");
  EXPECT_EQ(jpeg.type, "image/jpeg");
  EXPECT_EQ(jpeg.width, 3);
  EXPECT_EQ(jpeg.height, 2);
}

TEST(Branding, AnythingElseIsRefused) {
  // SVG can carry script: never accepted, whatever it claims.
  for (const std::string& bad :
       {std::string("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"),
        std::string("<?xml version=\"1.0\"?><svg/>"), std::string("GIF89a\x01\0\x01\0", 10),
        std::string("\x89PNX\r\n\x1a\n", 8) + kPng.substr(8),  // wrong magic
        kPng.substr(0, 20),                                    // cut before its size
        std::string("\xff\xd8\xff\xd9", 4),                    // a JPEG without a frame
        std::string()}) {
    const LogoCheck c = check_logo(bad);
    EXPECT_FALSE(c.error.empty()) << bad;
    EXPECT_EQ(c.type, "") << bad;
  }
  // Too big, even when it starts as a PNG.
  std::string big = kPng + std::string(kMaxLogoBytes, '\0');
  EXPECT_NE(check_logo(big).error.find("at most 256 kB"), std::string::npos);
  // A size of zero or absurdly large.
  std::string wide = kPng;
  wide[16] = '\x7f';
  EXPECT_NE(check_logo(wide).error.find("pixels a side"), std::string::npos);
}

TEST(Branding, Base64AsRfc4648) {
  EXPECT_EQ(to_base64(""), "");
  EXPECT_EQ(to_base64("f"), "Zg==");
  EXPECT_EQ(to_base64("fo"), "Zm8=");
  EXPECT_EQ(to_base64("foo"), "Zm9v");
  EXPECT_EQ(to_base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(to_base64(std::string("\xff\xfe", 2)), "//4=");
  EXPECT_EQ(logo_data_uri("foo", "image/png"), "data:image/png;base64,Zm9v");
}

}  // namespace
}  // namespace cxm::report
