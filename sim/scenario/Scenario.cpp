// Scenario: TOML text -> checked document -> typed ModelSpec with resolved ids.
#include "scenario/Scenario.hpp"

#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "model/RouteNetwork.hpp"
#include "scenario/ScenarioReader.hpp"

namespace interdict::scenario {

namespace {

using namespace interdict::model;

template <class Enum, std::size_t N>
Enum parse_enum(const std::string& value,
                const std::array<std::pair<std::string_view, Enum>, N>& names) {
  for (const auto& [name, e] : names)
    if (name == value) return e;
  throw std::logic_error("unvalidated enum value " + value);  // check() already rejected it
}

constexpr std::array<std::pair<std::string_view, PlaceKind>, 6> kPlaceKinds{
    {{"source", PlaceKind::source},
     {"port", PlaceKind::port},
     {"coast", PlaceKind::coast},
     {"town", PlaceKind::town},
     {"border", PlaceKind::border},
     {"market", PlaceKind::market}}};
constexpr std::array<std::pair<std::string_view, RouteMode>, 3> kModes{
    {{"land", RouteMode::land}, {"sea", RouteMode::sea}, {"air", RouteMode::air}}};
constexpr std::array<std::pair<std::string_view, TravelTimeDistribution>, 3> kDistributions{
    {{"fixed", TravelTimeDistribution::fixed},
     {"exponential", TravelTimeDistribution::exponential},
     {"lognormal", TravelTimeDistribution::lognormal}}};

/// Ids of one kind of entity, with where each was defined, for references and duplicates.
class IdIndex {
 public:
  IdIndex(const ScenarioReader& reader, std::string kind)
      : reader_(reader), kind_(std::move(kind)) {}

  void add(const std::string& id, const toml::table& t, const std::string& path) {
    const int line = static_cast<int>(t["id"].node()->source().begin.line);
    const auto [it, inserted] = index_.emplace(id, Entry{index_.size(), line});
    if (!inserted)
      throw reader_.error(t, path, "id",
                          "duplicate " + kind_ + " id \"" + id + "\" (first defined on line " +
                              std::to_string(it->second.line) + ")");
  }

  /// Index of the entity that t[key] refers to.
  std::size_t resolve(const toml::table& t, const std::string& path, std::string_view key) const {
    const std::string id = reader_.text(t, path, key);
    const auto it = index_.find(id);
    if (it != index_.end()) return it->second.index;
    std::vector<std::string> ids;
    for (const auto& [name, entry] : index_)
      ids.push_back(name);
    throw reader_.error(t, path, key,
                        "no " + kind_ + " with id \"" + id + "\"" + did_you_mean(id, ids));
  }

 private:
  struct Entry {
    std::size_t index;
    int line;
  };
  const ScenarioReader& reader_;
  std::string kind_;
  std::map<std::string, Entry> index_;
};

/// Calls f(table, path) for each element of the array of tables at root[key].
template <class F>
void for_each_entry(const ScenarioReader& reader, std::string_view key, F&& f) {
  const toml::array* array = reader.table_array(reader.root(), key);
  if (array == nullptr) return;
  for (std::size_t i = 0; i < array->size(); ++i)
    f(*(*array)[i].as_table(), std::string(key) + "[" + std::to_string(i) + "]");
}

ModelSpec build_model(const ScenarioReader& r) {
  ModelSpec spec;
  const toml::table& root = r.root();
  spec.duration_days = r.number(r.table(root, "simulation"), "simulation", "duration");
  spec.sample_interval_days = r.number(r.table(root, "output"), "output", "sample_interval");

  IdIndex places(r, "place");
  for_each_entry(r, "places", [&](const toml::table& t, const std::string& path) {
    PlaceSpec p;
    p.id = r.text(t, path, "id");
    places.add(p.id, t, path);
    p.name = r.optional_text(t, "name").value_or(p.id);
    p.kind = parse_enum(r.text(t, path, "kind"), kPlaceKinds);
    p.region = r.text(t, path, "region");
    p.latitude = r.optional_number(t, path, "lat");
    p.longitude = r.optional_number(t, path, "lon");
    spec.places.push_back(std::move(p));
  });

  IdIndex routes(r, "route");
  for_each_entry(r, "routes", [&](const toml::table& t, const std::string& path) {
    RouteSpec route;
    route.id = r.text(t, path, "id");
    routes.add(route.id, t, path);
    route.from = places.resolve(t, path, "from");
    route.to = places.resolve(t, path, "to");
    if (route.from == route.to)
      throw r.error(t, path, "to", "a route must join two different places");
    route.mode = parse_enum(r.text(t, path, "mode"), kModes);
    route.length_km = r.number(t, path, "length_km");
    const toml::table& tt = r.table(t, "travel_time");
    const std::string tt_path = path + ".travel_time";
    route.distribution = parse_enum(r.text(tt, tt_path, "distribution"), kDistributions);
    route.mean_days = r.number(tt, tt_path, "mean");
    route.sd_days = r.number(tt, tt_path, "sd");
    if (route.distribution != TravelTimeDistribution::lognormal && tt.contains("sd") &&
        route.sd_days > 0)
      throw r.error(tt, tt_path, "sd", "sd applies to the lognormal distribution only");
    spec.routes.push_back(std::move(route));
  });

  IdIndex markets(r, "market");
  for_each_entry(r, "markets", [&](const toml::table& t, const std::string& path) {
    MarketSpec m;
    m.id = r.text(t, path, "id");
    markets.add(m.id, t, path);
    m.place = places.resolve(t, path, "place");
    m.price_per_kg = r.number(t, path, "price_per_kg");
    spec.markets.push_back(std::move(m));
  });

  const RouteNetwork network(spec.places, spec.routes);
  IdIndex sources(r, "source");
  for_each_entry(r, "sources", [&](const toml::table& t, const std::string& path) {
    SourceSpec s;
    s.id = r.text(t, path, "id");
    sources.add(s.id, t, path);
    s.place = places.resolve(t, path, "place");
    s.market = markets.resolve(t, path, "market");
    s.rate_per_day = r.number(t, path, "rate");
    s.size_mean_kg = r.number(t, path, "size_mean");
    s.size_sd_kg = r.number(t, path, "size_sd");
    s.start_day = r.number(t, path, "start");
    const std::size_t market_place = spec.markets[s.market].place;
    if (!network.fastest_path(s.place, market_place))
      throw r.error(t, path, "market",
                    "no chain of routes leads from place \"" + spec.places[s.place].id +
                        "\" to market place \"" + spec.places[market_place].id + "\"");
    spec.sources.push_back(std::move(s));
  });

  IdIndex patrols(r, "patrol");
  for_each_entry(r, "patrols", [&](const toml::table& t, const std::string& path) {
    PatrolSpec p;
    p.id = r.text(t, path, "id");
    patrols.add(p.id, t, path);
    p.route = routes.resolve(t, path, "route");
    p.detection_probability = r.number(t, path, "detection_probability");
    p.start_day = r.number(t, path, "start");
    p.end_day = r.optional_number(t, path, "end").value_or(std::numeric_limits<double>::infinity());
    if (p.end_day < p.start_day)
      throw r.error(t, path, "end", "a patrol cannot end before it starts");
    spec.patrols.push_back(std::move(p));
  });
  return spec;
}

}  // namespace

Scenario parse_scenario(std::string text, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    throw InputError(path, static_cast<int>(begin.line), static_cast<int>(begin.column), "",
                     "TOML syntax error: " + std::string(e.description()));
  }
  const ScenarioReader reader(path, root);
  reader.check();

  Scenario scenario;
  scenario.path = path;
  const toml::table& meta = reader.table(root, "scenario");
  scenario.name =
      reader.optional_text(meta, "name").value_or(std::filesystem::path(path).stem().string());
  scenario.description = reader.text(meta, "scenario", "description");
  scenario.seed = static_cast<std::uint64_t>(
      reader.integer(reader.table(root, "simulation"), "simulation", "seed"));
  scenario.model = build_model(reader);
  scenario.text = std::move(text);
  return scenario;
}

Scenario load_scenario(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw InputError(path, 0, 0, "",
                     std::filesystem::exists(path, ec) ? "not a regular file" : "no such file");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw InputError(path, 0, 0, "", "cannot read the file");
  return parse_scenario(text.str(), path);
}

}  // namespace interdict::scenario
