// libFuzzer target: any bytes as the CSV list of people to invite by
// e-mail (mail/people_list.h) give people or problems, never a crash; a
// list with a problem names nobody, and everyone listed has an address
// that passes the address check, a role of the rules (or none) and a unit
// of the rules (or none), with no address twice.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "mail/address.h"
#include "mail/people_list.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  cxm::mail::PeopleRules rules;
  rules.roles = {{"executive", "Executive"}, {"frontline", "Frontline employee"}};
  rules.units = {"Sales", "Support"};
  rules.max_people = 50;
  const auto list = cxm::mail::read_people_csv(text, rules);
  if (!list.ok()) {
    if (!list.people.empty()) std::abort();
    return 0;
  }
  if (list.people.empty() || list.people.size() > rules.max_people) std::abort();
  std::set<std::string> seen;
  for (const auto& p : list.people) {
    if (cxm::mail::address_error(p.email)) std::abort();
    std::string lower = p.email;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!seen.insert(lower).second) std::abort();
    if (!p.role.empty() && p.role != "executive" && p.role != "frontline") std::abort();
    if (!p.unit.empty() && p.unit != "Sales" && p.unit != "Support") std::abort();
    if (p.name.find('\n') != std::string::npos) std::abort();
  }
  return 0;
}
