#include "report/branding.h"

#include <cstdint>

namespace cxm::report {
namespace {

std::uint32_t big_endian(std::string_view b, std::size_t at, std::size_t bytes) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

// PNG: the signature, then the IHDR chunk with width and height.
bool png_size(std::string_view b, int& width, int& height) {
  static constexpr std::string_view kSignature("\x89PNG\r\n\x1a\n", 8);
  if (b.size() < 33 || b.substr(0, 8) != kSignature) return false;
  if (big_endian(b, 8, 4) != 13 || b.substr(12, 4) != "IHDR") return false;
  width = static_cast<int>(big_endian(b, 16, 4) & 0x7fffffff);
  height = static_cast<int>(big_endian(b, 20, 4) & 0x7fffffff);
  return true;
}

// JPEG: SOI, then segments up to a start-of-frame marker with the size.
bool jpeg_size(std::string_view b, int& width, int& height) {
  if (b.size() < 4 || static_cast<unsigned char>(b[0]) != 0xFF ||
      static_cast<unsigned char>(b[1]) != 0xD8 || static_cast<unsigned char>(b[2]) != 0xFF)
    return false;
  std::size_t at = 2;
  while (at + 4 <= b.size()) {
    if (static_cast<unsigned char>(b[at]) != 0xFF) return false;
    const unsigned marker = static_cast<unsigned char>(b[at + 1]);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      at += 2;
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) return false;  // end, or scan data before a frame
    const std::size_t length = big_endian(b, at + 2, 2);
    if (length < 2) return false;
    const bool frame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame) {
      if (at + 9 > b.size() || length < 7) return false;
      height = static_cast<int>(big_endian(b, at + 5, 2));
      width = static_cast<int>(big_endian(b, at + 7, 2));
      return true;
    }
    at += 2 + length;
  }
  return false;
}

}  // namespace

LogoCheck check_logo(std::string_view bytes) {
  LogoCheck c;
  if (bytes.empty()) {
    c.error = "the logo is empty";
    return c;
  }
  if (bytes.size() > kMaxLogoBytes) {
    c.error = "the logo is " + std::to_string((bytes.size() + 1023) / 1024) + " kB; at most " +
              std::to_string(kMaxLogoBytes / 1024) + " kB";
    return c;
  }
  if (png_size(bytes, c.width, c.height)) {
    c.type = "image/png";
  } else if (jpeg_size(bytes, c.width, c.height)) {
    c.type = "image/jpeg";
  } else {
    c.error = "the logo must be a PNG or JPEG image (SVG and other formats are not accepted)";
    return c;
  }
  if (c.width < 1 || c.height < 1 || c.width > kMaxLogoSide || c.height > kMaxLogoSide) {
    c.error = "the logo's size " + std::to_string(c.width) + "×" + std::to_string(c.height) +
              " is not between 1 and " + std::to_string(kMaxLogoSide) + " pixels a side";
    c.type.clear();
  }
  return c;
}

std::string to_base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = big_endian(bytes, i, 3);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {
    const std::uint32_t v = big_endian(bytes, i, rest) << (rest == 1 ? 16 : 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string logo_data_uri(std::string_view bytes, std::string_view type) {
  return "data:" + std::string(type) + ";base64," + to_base64(bytes);
}

}  // namespace cxm::report
