// Test helper for the browser tests (web/e2e/outside_in.test.mjs): imports
// customer figures into an organization of a cxm database through the store
// (Store::import_customer_metrics), as the import routes will.
//   seed_customer_metrics DB_URL < {"org": NAME, "figures": [{metric, period,
//     unit, value, respondents, source, synthetic}]}
// Exit 0 when imported; 2 with a line on stderr otherwise.
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "store/database_url.h"
#include "store/store.h"

int main(int argc, char** argv) {
  using nlohmann::json;
  if (argc != 2) {
    std::cerr << "usage: seed_customer_metrics DB_URL < FIGURES.json\n";
    return 2;
  }
  try {
    std::string error;
    const auto url = cxm::store::parse_database_url(argv[1], error);
    if (!url) {
      std::cerr << error << '\n';
      return 2;
    }
    const json in = json::parse(std::string(std::istreambuf_iterator<char>(std::cin), {}));
    auto store = cxm::store::Store::open(*url);
    cxm::store::User admin;
    admin.is_admin = true;
    std::string org_id;
    for (const auto& org : store->organizations_for(admin)) {
      if (org.name == in.at("org").get<std::string>()) org_id = org.id;
    }
    if (org_id.empty()) {
      std::cerr << "no organization named " << in.at("org") << '\n';
      return 2;
    }
    std::vector<cxm::core::CustomerFigure> figures;
    for (const auto& f : in.at("figures")) {
      figures.push_back({f.at("metric"), f.at("period"), f.value("unit", ""), f.at("value"),
                         f.at("respondents"), f.at("source"), f.value("synthetic", false)});
    }
    const auto result = store->import_customer_metrics(org_id, {}, figures);
    if (result.outcome != cxm::store::MetricsImportOutcome::imported) {
      std::cerr << "not imported: " << result.detail << '\n';
      return 2;
    }
    std::cout << result.added << " added\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << e.what() << '\n';
    return 2;
  }
}
