// Scenario: TOML text -> checked document -> typed ModelSpec with resolved ids.
#include "scenario/Scenario.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <utility>
#include <variant>

#include "model/RouteNetwork.hpp"
#include "model/TraffickingModel.hpp"
#include "scenario/InputFile.hpp"
#include "scenario/NetworkFile.hpp"
#include "scenario/NetworkGenerator.hpp"
#include "scenario/RunLimits.hpp"
#include "scenario/ScenarioReader.hpp"

namespace interdict::scenario {

namespace {

using namespace interdict::model;

/// The enumerator named `value` (already checked against the names by the reader).
template <class Enum, std::size_t N>
Enum parse_enum(const std::string& value, const std::array<std::string_view, N>& names) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == value) return static_cast<Enum>(i);
  throw std::logic_error("unvalidated enum value " + value);  // check() already rejected it
}

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
    throw reader_.error(t, path, key, unknown(id));
  }

  /// Index of the entity with this id, if there is one.
  std::optional<std::size_t> find(const std::string& id) const {
    const auto it = index_.find(id);
    if (it == index_.end()) return std::nullopt;
    return it->second.index;
  }

  /// Index of the entity t[key] refers to, or kNone when the key is absent.
  std::size_t resolve_optional(const toml::table& t, const std::string& path,
                               std::string_view key) const {
    reader_.optional_text(t, path, key);  // noted as read even where absent
    return t.contains(key) ? resolve(t, path, key) : kNone;
  }

  /// Indices of the entities listed in the array of strings t[key].
  std::vector<std::size_t> resolve_list(const toml::table& t, const std::string& path,
                                        std::string_view key) const {
    std::vector<std::size_t> out;
    reader_.strings(t, path, key);  // noted as read even where absent
    const toml::array* array = t.get_as<toml::array>(key);
    if (array == nullptr) return out;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string id = (*array)[i].as_string()->get();
      const auto it = index_.find(id);
      if (it == index_.end())
        throw reader_.error_at((*array)[i], join_key(path, key) + "[" + std::to_string(i) + "]",
                               unknown(id));
      out.push_back(it->second.index);
    }
    return out;
  }

 private:
  std::string unknown(const std::string& id) const {
    std::vector<std::string> ids;
    for (const auto& [name, entry] : index_)
      ids.push_back(name);
    return "no " + kind_ + " with id \"" + id + "\"" + did_you_mean(id, ids);
  }

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

/// Indexes the ids of every entry of root[key] (so later entries can be referred to).
IdIndex index_ids(const ScenarioReader& r, std::string_view key, std::string kind) {
  IdIndex index(r, std::move(kind));
  for_each_entry(r, key, [&](const toml::table& t, const std::string& path) {
    index.add(r.text(t, path, "id"), t, path);
  });
  return index;
}

double great_circle_km(const PlaceSpec& a, const PlaceSpec& b) {
  constexpr double kEarthRadiusKm = 6371.0;
  constexpr double kRadians = 3.14159265358979323846 / 180.0;
  const double dlat = (*b.latitude - *a.latitude) * kRadians;
  const double dlon = (*b.longitude - *a.longitude) * kRadians;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(*a.latitude * kRadians) * std::cos(*b.latitude * kRadians) *
                       std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2.0 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

/// Where each numeric organisation parameter lives in the scenario: [organisations.SECTION].
struct OrganisationField {
  const char* section;
  const char* key;
  double OrganisationSpec::*field;
};

constexpr auto kOrganisationFields = std::to_array<OrganisationField>({
    {"economics", "cost_per_kg_km", &OrganisationSpec::cost_per_kg_km},
    {"economics", "handoff_cost", &OrganisationSpec::handoff_cost},
    {"economics", "bribe_fraction", &OrganisationSpec::bribe_fraction},
    {"routing", "learning_rate", &OrganisationSpec::learning_rate},
    {"routing", "initial_risk", &OrganisationSpec::initial_risk},
    {"routing", "risk_aversion", &OrganisationSpec::risk_aversion},
    {"routing", "time_value", &OrganisationSpec::time_value},
    {"routing", "replan_interval", &OrganisationSpec::replan_interval},
    {"routing", "forgetting_rate", &OrganisationSpec::forgetting_rate},
    {"routing", "probing", &OrganisationSpec::probing},
    {"communication", "radio_delay", &OrganisationSpec::radio_delay},
    {"communication", "fallback_delay", &OrganisationSpec::fallback_delay},
    {"communication", "fallback_leak", &OrganisationSpec::fallback_leak},
    {"communication", "fallback_failure", &OrganisationSpec::fallback_failure},
    {"communication", "timeout", &OrganisationSpec::coordination_timeout},
    {"operations", "lookout_effect", &OrganisationSpec::lookout_effect},
    {"operations", "retry_interval", &OrganisationSpec::retry_interval},
    {"operations", "loading_days", &OrganisationSpec::loading_days},
    {"recovery", "recruitment_rate", &OrganisationSpec::recruitment_rate},
    {"recovery", "recruitment_delay", &OrganisationSpec::recruitment_delay},
    {"recovery", "recruit_cost", &OrganisationSpec::recruit_cost},
    {"recovery", "replacement_delay", &OrganisationSpec::replacement_delay},
    {"recovery", "relay_rebuild_delay", &OrganisationSpec::relay_rebuild_delay},
    {"recovery", "relay_cost", &OrganisationSpec::relay_cost},
    {"recovery", "vessel_replacement_delay", &OrganisationSpec::vessel_replacement_delay},
    {"recovery", "vessel_cost", &OrganisationSpec::vessel_cost},
});

void read_parameters(const ScenarioReader& r, const toml::table& t, const std::string& path,
                     OrganisationSpec& o) {
  o.capital = r.number(t, path, "capital");
  o.credit_limit = r.number(t, path, "credit_limit");
  const toml::table& command = r.table(t, "command");
  const std::string command_path = path + ".command";
  o.headless_delay = r.number(command, command_path, "headless_delay");
  o.stale_routes = r.flag(command, command_path, "stale_routes");
  o.command_centres = r.flag(command, command_path, "control_centres");
  for (const OrganisationField& f : kOrganisationFields)
    o.*(f.field) = r.number(r.table(t, f.section), path + "." + f.section, f.key);
}

// The parameters of each kind of entry: the keys with defaults, read from an entry's table.
// Reading them from an empty table gives the key table's defaults (spec_defaults()).

void read_parameters(const ScenarioReader& r, const toml::table& t, const std::string& path,
                     PlaceSpec& p) {
  p.kind = parse_enum<PlaceKind>(r.text(t, path, "kind"), kPlaceKindNames);
  p.region = r.text(t, path, "region");
}

void read_parameters(const ScenarioReader& r, const toml::table& t, const std::string& path,
                     RouteSpec& route) {
  route.mode = parse_enum<RouteMode>(r.text(t, path, "mode"), kRouteModeNames);
  route.length_km = r.number(t, path, "length_km");
  route.exposure = r.number(t, path, "exposure");
  route.capacity = static_cast<int>(r.integer(t, path, "capacity"));
  const toml::table& tt = r.table(t, "travel_time");
  const std::string tt_path = path + ".travel_time";
  route.distribution =
      parse_enum<TravelTimeDistribution>(r.text(tt, tt_path, "distribution"), kDistributionNames);
  route.sd_days = r.number(tt, tt_path, "sd");
}

void read_parameters(const ScenarioReader& r, const toml::table& t, const std::string& path,
                     CellSpec& c) {
  const char* roles[kRoleCount] = {"leaders", "brokers", "transporters", "lookouts"};
  for (std::size_t k = 0; k < kRoleCount; ++k)
    c.members[k] = static_cast<int>(r.integer(t, path, roles[k]));
}

void read_parameters(const ScenarioReader& r, const toml::table& t, const std::string& path,
                     VesselSpec& v) {
  v.type = parse_enum<VesselType>(r.text(t, path, "type"), kVesselTypeNames);
  v.capacity_kg = r.number(t, path, "capacity");
  v.speed_kmh = r.number(t, path, "speed");
  v.crew = static_cast<int>(r.integer(t, path, "crew"));
}

void read_parameters(const ScenarioReader& r, const toml::table& t, const std::string& path,
                     RelaySpec& relay) {
  relay.kind = parse_enum<RelayKind>(r.text(t, path, "kind"), kRelayKindNames);
}

void read_parameters(const ScenarioReader& r, const toml::table& t, const std::string& path,
                     MarketSpec& m) {
  m.demand_kg_per_day = r.number(t, path, "demand");
  m.elasticity = r.number(t, path, "elasticity");
  m.adjustment_days = r.number(t, path, "adjustment_days");
  m.price_cap = r.number(t, path, "price_cap");
}

void read_parameters(const ScenarioReader& r, const toml::table& t, const std::string& path,
                     SourceSpec& s) {
  s.supply_elasticity = r.number(t, path, "supply_elasticity");
  s.size_sd_kg = r.number(t, path, "size_sd");
  s.start_day = r.number(t, path, "start");
  s.buy_price_per_kg = r.number(t, path, "buy_price");
}

void read_parameters(const ScenarioReader& r, const toml::table& t, const std::string& path,
                     AgencySpec& a) {
  a.kind = parse_enum<AgencyKind>(r.text(t, path, "kind"), kAgencyKindNames);
  a.budget = r.optional_number(t, path, "budget").value_or(kNever);
  a.sharing_delay = r.number(t, path, "sharing_delay");
  a.intel_lifetime = r.number(t, path, "intel_lifetime");
  a.intel_boost = r.number(t, path, "intel_boost");
  a.raid_rate = r.number(t, path, "raid_rate");
  a.raid_arrests = static_cast<int>(r.integer(t, path, "raid_arrests"));
}

void read_parameters(const ScenarioReader& r, const toml::table& t, const std::string& path,
                     PatrolSpec& p) {
  p.detection_probability = r.number(t, path, "detection_probability");
  p.intensity = r.number(t, path, "intensity");
  p.start_day = r.number(t, path, "start");
  p.end_day = r.optional_number(t, path, "end").value_or(kNever);
  p.cost_per_day = r.number(t, path, "cost_per_day");
  p.arrest_probability = r.number(t, path, "arrest_probability");
  p.vessel_seizure_probability = r.number(t, path, "vessel_seizure_probability");
}

/// Whether organisation `o` has a carrier for every leg of some path from `from` to `to`.
bool carriable(const ModelSpec& spec, const RouteNetwork& network, std::size_t o, std::size_t from,
               std::size_t to) {
  const auto weight = [&](std::size_t r) {
    const RouteSpec& route = spec.routes[r];
    if (route.mode == RouteMode::sea) {
      for (const VesselSpec& v : spec.vessels)
        if (v.organisation == o && (v.home == route.from || v.home == route.to))
          return route.mean_days;
      return kNever;
    }
    for (const CellSpec& c : spec.cells) {
      int members = 0;
      for (int m : c.members)
        members += m;
      if (c.organisation == o && c.place == route.from && members > 0) return route.mean_days;
    }
    return kNever;
  };
  return network.least_cost_path(from, to, weight).has_value();
}

/// [intelligence]: what enforcement can learn, for written and generated scenarios alike.
void read_intelligence(const ScenarioReader& r, ModelSpec& spec) {
  const toml::table& intel = r.table(r.root(), "intelligence");
  IntelligenceSpec& is = spec.intelligence;
  is.oracle = r.flag(intel, "intelligence", "oracle");
  is.reveal_probability = r.number(intel, "intelligence", "reveal_probability");
  is.leak_locates = r.number(intel, "intelligence", "leak_locates");
  is.social_media = r.flag(intel, "intelligence", "social_media");
  is.social_media_rate = r.number(intel, "intelligence", "social_media_rate");
  is.recruit_exposure = r.number(intel, "intelligence", "recruit_exposure");
  is.radio_interception = r.flag(intel, "intelligence", "radio_interception");
  is.radio_interception_probability =
      r.number(intel, "intelligence", "radio_interception_probability");
  is.informant_rate = r.number(intel, "intelligence", "informant_rate");
  is.lifetime = r.number(intel, "intelligence", "lifetime");
}

/// output.series: names of the recorded series, each known and named once.
void read_recorded_series(const ScenarioReader& r, ModelSpec& spec) {
  const toml::table& output = r.table(r.root(), "output");
  const auto series = model::TraffickingModel::series();
  std::vector<std::string> names;
  for (const MetricInfo& m : series)
    names.push_back(m.name);
  for (const std::string& name : r.strings(output, "output", "series")) {
    const auto at = std::find(names.begin(), names.end(), name);
    if (at == names.end())
      throw r.error(output, "output", "series",
                    "unknown series \"" + name + "\"" + did_you_mean(name, names));
    const auto index = static_cast<std::size_t>(at - names.begin());
    if (std::find(spec.recorded_series.begin(), spec.recorded_series.end(), index) !=
        spec.recorded_series.end())
      throw r.error(output, "output", "series", "series \"" + name + "\" listed twice");
    spec.recorded_series.push_back(index);
  }
}

/// output.network_measures, output.exact_measure_limit and output.measure_error.
void read_network_measures(const ScenarioReader& r, ModelSpec& spec) {
  const toml::table& output = r.table(r.root(), "output");
  spec.exact_measure_limit =
      static_cast<std::size_t>(r.integer(output, "output", "exact_measure_limit"));
  spec.measure_error = r.number(output, "output", "measure_error");
  const std::string measures = r.text(output, "output", "network_measures");
  spec.network_measures = measures == "none"    ? ModelSpec::NetworkMeasures::none
                          : measures == "basic" ? ModelSpec::NetworkMeasures::basic
                                                : ModelSpec::NetworkMeasures::all;
}

/// What `read` reads from the file named by social_network.KEY. A file that cannot be opened
/// (missing, a FIFO, too large...) is reported at that key; errors inside it at their own line.
template <class Read>
auto read_named_file(const ScenarioReader& r, const toml::table& t, std::string_view key,
                     Read&& read) {
  try {
    return read();
  } catch (const InputError& e) {
    if (e.line() > 0) throw;
    throw r.error(t, "social_network", key, e.what());
  }
}

/// Roles by the `roles` rule: one role for every node, or by degree (the best-connected node
/// leads, the next broker_share of the nodes are brokers, the rest transporters).
std::vector<Role> roles_by_rule(const ScenarioReader& r, const toml::table& t,
                                const NetworkFile& file) {
  const std::string path = "social_network";
  const std::string rule = r.text(t, path, "roles");
  const std::size_t n = file.labels.size();
  std::vector<Role> by_rule(n, Role::transporter);
  if (rule != "by-degree") {
    by_rule.assign(n, parse_enum<Role>(rule, kRoleNames));
    return by_rule;
  }
  std::vector<std::size_t> order(n);
  for (std::size_t v = 0; v < n; ++v)
    order[v] = v;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return file.graph.out(a).size() > file.graph.out(b).size();
  });
  const auto brokers = static_cast<std::size_t>(
      std::llround(r.number(t, path, "broker_share") * static_cast<double>(n)));
  for (std::size_t k = 0; k < n; ++k)
    by_rule[order[k]] = k == 0 ? Role::leader : k <= brokers ? Role::broker : Role::transporter;
  return by_rule;
}

/// How the nodes of an imported network become cells.
struct ImportRules {
  std::size_t organisation;
  std::vector<std::size_t> spread;  // places to spread cells without a place attribute over
  std::string role_attribute;
  std::string place_attribute;
  int members;
  std::string prefix;
  std::vector<Role> by_rule;
};

/// The cell node v becomes: its role and place from its attributes if it has them, else from
/// the rule and the spread places.
CellSpec imported_cell(const ScenarioReader& r, const toml::table& t, const NetworkFile& file,
                       const std::map<std::string, std::string>& attributes, std::size_t v,
                       const ImportRules& rules, const IdIndex& places) {
  CellSpec c;
  c.id = rules.prefix + file.labels[v];
  c.organisation = rules.organisation;
  Role role = rules.by_rule[v];
  if (const auto a = attributes.find(rules.role_attribute);
      a != attributes.end() && !a->second.empty()) {
    const auto named = std::find(kRoleNames.begin(), kRoleNames.end(), a->second);
    if (named == kRoleNames.end())
      throw InputError(file.path, 0, 0, "",
                       "node \"" + file.labels[v] + "\": role \"" + a->second +
                           "\" is not one of leader, broker, transporter, lookout" +
                           did_you_mean(a->second, kRoleNames));
    role = static_cast<Role>(named - kRoleNames.begin());
  }
  c.members[static_cast<std::size_t>(role)] = rules.members;
  if (const auto a = attributes.find(rules.place_attribute);
      a != attributes.end() && !a->second.empty()) {
    const auto place = places.find(a->second);
    if (!place)
      throw InputError(
          file.path, 0, 0, "",
          "node \"" + file.labels[v] + "\": no place \"" + a->second + "\" in the scenario");
    c.place = *place;
  } else if (!rules.spread.empty()) {
    c.place = rules.spread[v % rules.spread.size()];
  } else {
    throw r.error(t, "social_network", "places",
                  "node \"" + file.labels[v] +
                      "\" has no place attribute: list `places` to spread the cells over");
  }
  return c;
}

/// [social_network]: one cell per node of a network file, tied as the file says.
void read_social_network(const ScenarioReader& r, ModelSpec& spec, const IdIndex& places,
                         const IdIndex& organisations) {
  const toml::table* t = r.root().get_as<toml::table>("social_network");
  if (!t) return;
  const std::string path = "social_network";
  // Relative to the file that names it (a base scenario's own directory, say).
  const toml::node* file_node = t->get("file");
  const auto& source = file_node ? file_node->source().path : nullptr;
  const std::filesystem::path base =
      std::filesystem::path(source && !source->empty() ? *source : r.file()).parent_path();
  const auto relative = [&](const std::string& file) {
    return (base / file).lexically_normal().string();
  };
  std::optional<NetworkFormat> format;
  if (const auto name = r.optional_text(*t, "social_network", "format"))
    format = network_format_named(*name);
  const NetworkFile file = read_named_file(r, *t, "file", [&] {
    return read_network_file(relative(r.text(*t, path, "file")), format, false);
  });
  std::map<std::string, std::map<std::string, std::string>> table;
  if (const auto nodes = r.optional_text(*t, "social_network", "nodes"))
    table = read_named_file(r, *t, "nodes", [&] { return read_node_table(relative(*nodes)); });
  ImportRules rules{organisations.resolve(*t, path, "organisation"), {}, "", "", 0, "", {}};
  for (const std::string& id : r.strings(*t, path, "places")) {
    const auto place = places.find(id);
    if (!place) throw r.error(*t, path, "places", "no place \"" + id + "\" in the scenario");
    rules.spread.push_back(*place);
  }
  rules.role_attribute = r.text(*t, path, "role_attribute");
  rules.place_attribute = r.text(*t, path, "place_attribute");
  rules.by_rule = roles_by_rule(r, *t, file);
  rules.members = static_cast<int>(r.integer(*t, path, "members"));
  rules.prefix = r.text(*t, path, "id_prefix");
  const std::size_t first = spec.cells.size();
  for (std::size_t v = 0; v < file.labels.size(); ++v) {
    std::map<std::string, std::string> attributes = file.attributes[v];
    if (const auto row = table.find(file.labels[v]); row != table.end())
      attributes.insert(row->second.begin(), row->second.end());
    CellSpec c = imported_cell(r, *t, file, attributes, v, rules, places);
    for (const graph::Neighbour& nb : file.graph.out(v))
      c.ties.push_back(first + nb.node);
    spec.cells.push_back(std::move(c));
  }
  for (std::size_t k = 0; k < first; ++k)
    for (std::size_t v = first; v < spec.cells.size(); ++v)
      if (spec.cells[k].id == spec.cells[v].id)
        throw r.error(*t, path, "id_prefix",
                      "imported node \"" + spec.cells[v].id +
                          "\" has the id of a cell in the "
                          "scenario; set id_prefix");
}

void read_parameters(const ScenarioReader& r, const toml::table& t, const std::string& path,
                     BribeSpec& b) {
  b.effect = r.number(t, path, "effect");
  b.cost_per_day = r.number(t, path, "cost_per_day");
  b.replace_days = r.number(t, path, "replace_days");
  b.start_day = r.number(t, path, "start");
}

/// The ids of the entities read so far, for the entries that refer to them.
struct EntityIds {
  IdIndex places, routes, markets, organisations;
  std::optional<IdIndex> cells;  // indexed just before the cells are read: they tie each other
  IdIndex vessels;
  std::optional<IdIndex> relays;  // likewise, for their links
  IdIndex agencies, patrols, bribes;
};

/// The ids intervention entries refer to.
struct InterventionIndexes {
  const IdIndex& interventions;
  const IdIndex& relays;
  const IdIndex& cells;
  const IdIndex& vessels;
  const IdIndex& agencies;
  const IdIndex& patrols;
  const IdIndex& routes;
  const IdIndex& bribes;
  const std::vector<MetricInfo>& series;
};

/// `when = {metric, above | below}`.
void read_condition(const ScenarioReader& r, const toml::table& t, const std::string& path,
                    const std::vector<MetricInfo>& series, InterventionSpec& i) {
  i.trigger = TriggerKind::when;
  const toml::table& when = r.table(t, "when");
  const std::string when_path = path + ".when";
  const std::string metric = r.text(when, when_path, "metric");
  for (std::size_t m = 0; m < series.size(); ++m)
    if (series[m].name == metric) i.metric = m;
  if (i.metric == kNone) {
    std::vector<std::string> names;
    for (const MetricInfo& m : series)
      names.push_back(m.name);
    throw r.error(when, when_path, "metric",
                  "unknown metric \"" + metric + "\"" + did_you_mean(metric, names));
  }
  const auto above = r.optional_number(when, when_path, "above");
  const auto below = r.optional_number(when, when_path, "below");
  if (above.has_value() == below.has_value())
    throw r.error(when, when_path, "metric", "give one of above or below");
  i.above = above.has_value();
  i.threshold = above ? *above : *below;
}

/// Exactly one trigger: at, every (with start and until), when, or after (with delay).
void read_trigger(const ScenarioReader& r, const toml::table& t, const std::string& path,
                  const InterventionIndexes& ids, InterventionSpec& i) {
  std::vector<std::string> triggers;
  for (const char* key : {"at", "every", "when", "after"})
    if (t.contains(key)) triggers.emplace_back(key);
  if (triggers.size() != 1)
    throw r.error(t, path, triggers.empty() ? "id" : triggers[1],
                  triggers.empty()
                      ? "needs a trigger: at, every, when or after"
                      : "has two triggers (" + triggers[0] + " and " + triggers[1] + "); give one");
  if (t.contains("at")) {
    i.trigger = TriggerKind::at;
    i.at_day = r.number(t, path, "at");
  } else if (t.contains("every")) {
    i.trigger = TriggerKind::every;
    i.every_days = r.number(t, path, "every");
    i.at_day = r.number(t, path, "start");
    i.until_day = r.optional_number(t, path, "until").value_or(kNever);
  } else if (t.contains("when")) {
    read_condition(r, t, path, ids.series, i);
  } else {
    i.trigger = TriggerKind::after;
    i.after = ids.interventions.resolve(t, path, "after");
    i.delay_days = r.number(t, path, "delay");
  }
}

/// target, kind, region, strategy, recompute, network and count.
TargetSelection read_selection(const ScenarioReader& r, const toml::table& t,
                               const std::string& path) {
  TargetSelection select;
  const std::string target = r.text(t, path, "target");
  for (std::size_t k = 0; k < kTargetNames.size(); ++k)
    if (!target.empty() && kTargetNames[k] == target) select.target = static_cast<TargetKind>(k);
  select.kind = r.text(t, path, "kind");
  select.region = r.text(t, path, "region");
  const std::string strategy = r.text(t, path, "strategy");
  for (std::size_t k = 0; k < kStrategyNames.size(); ++k)
    if (!strategy.empty() && kStrategyNames[k] == strategy) select.strategy = k;
  select.recompute = r.flag(t, path, "recompute");
  select.true_network = r.text(t, path, "network") == "true";
  select.count = static_cast<int>(r.optional_number(t, path, "count").value_or(-1.0));
  if (select.target == TargetKind::vessels && select.strategy != kNone && strategy != "random")
    throw r.error(t, path, "strategy", "vessels can only be targeted at random");
  return select;
}

// Each action reads its own keys and checks what it needs.

void read_action(const ScenarioReader& r, const toml::table& t, const std::string& path,
                 const InterventionIndexes& ids, DismantleAction& a) {
  a.relays = ids.relays.resolve_list(t, path, "relays");
  a.cells = ids.cells.resolve_list(t, path, "cells");
  a.vessels = ids.vessels.resolve_list(t, path, "vessels");
  a.select = read_selection(r, t, path);
  a.arrests = static_cast<int>(r.integer(t, path, "arrests"));
}

void read_action(const ScenarioReader& r, const toml::table& t, const std::string& path,
                 const InterventionIndexes& ids, ArrestAction& a) {
  a.cells = ids.cells.resolve_list(t, path, "cells");
  a.select = read_selection(r, t, path);
  a.arrests = static_cast<int>(r.integer(t, path, "arrests"));
  const std::string role = r.text(t, path, "role");
  for (std::size_t k = 0; k < kRoleCount; ++k)
    if (!role.empty() && kRoleNames[k] == role) a.role = static_cast<int>(k);
  if (a.arrests == 0)
    throw r.error(t, path, "action", "an arrest action needs `arrests`, how many people");
}

void read_action(const ScenarioReader& r, const toml::table& t, const std::string& path,
                 const InterventionIndexes& ids, PatrolAction& a) {
  a.patrol = ids.patrols.resolve_optional(t, path, "patrol");
  a.route = ids.routes.resolve_optional(t, path, "route");
  a.reallocate = r.flag(t, path, "reallocate");
  a.intensity = r.optional_number(t, path, "intensity").value_or(-1.0);
  a.detection_probability = r.optional_number(t, path, "detection_probability").value_or(-1.0);
  a.scale = r.number(t, path, "scale");
  if (a.patrol == kNone)
    throw r.error(t, path, "action", "a patrol action needs `patrol`, the id of a patrol");
}

void read_action(const ScenarioReader& r, const toml::table& t, const std::string& path,
                 const InterventionIndexes&, SharingAction& a) {
  const auto delay = r.optional_number(t, path, "sharing_delay");
  if (!delay) throw r.error(t, path, "action", "a sharing action needs `sharing_delay`");
  a.sharing_delay = *delay;
}

void read_action(const ScenarioReader& r, const toml::table& t, const std::string& path,
                 const InterventionIndexes&, MonitoringAction& a) {
  if (const auto on = r.optional_flag(t, path, "social_media")) a.social_media = *on ? 1 : 0;
  if (const auto on = r.optional_flag(t, path, "radio_interception"))
    a.radio_interception = *on ? 1 : 0;
  if (a.social_media < 0 && a.radio_interception < 0)
    throw r.error(t, path, "action",
                  "a monitoring action needs `social_media` or `radio_interception`");
}

/// The action named by `action` (the key table checks the name), read by its own reader.
void read_action(const ScenarioReader&, const toml::table& t, const std::string& path,
                 const InterventionIndexes& ids, PurgeAction& a) {
  a.bribes = ids.bribes.resolve_list(t, path, "bribes");
}

Action read_action(const ScenarioReader& r, const toml::table& t, const std::string& path,
                   const InterventionIndexes& ids) {
  const std::string name = r.text(t, path, "action");
  Action action;
  const auto choose = [&]<std::size_t... k>(std::index_sequence<k...>) {
    ((std::variant_alternative_t<k, Action>::kName == name ? (void)action.emplace<k>() : void()),
     ...);
  };
  choose(std::make_index_sequence<std::variant_size_v<Action>>{});
  std::visit([&](auto& a) { read_action(r, t, path, ids, a); }, action);
  return action;
}

/// The [[interventions]]: one trigger each, an action, and who pays.
void read_interventions(const ScenarioReader& r, ModelSpec& spec, const EntityIds& entities) {
  IdIndex interventions(r, "intervention");
  std::vector<std::pair<const toml::table*, std::string>> entries;
  for_each_entry(r, "interventions", [&](const toml::table& t, const std::string& path) {
    interventions.add(r.text(t, path, "id"), t, path);
    entries.emplace_back(&t, path);
  });
  const std::vector<MetricInfo> series = model::TraffickingModel::series();
  const InterventionIndexes ids{interventions,    *entities.relays,  *entities.cells,
                                entities.vessels, entities.agencies, entities.patrols,
                                entities.routes,  entities.bribes,   series};
  for (const auto& [table, path] : entries) {
    const toml::table& t = *table;
    InterventionSpec i;
    i.id = r.text(t, path, "id");
    read_trigger(r, t, path, ids, i);
    i.action = read_action(r, t, path, ids);
    i.agency = entities.agencies.resolve_optional(t, path, "agency");
    i.cost = r.number(t, path, "cost");
    i.cost_per_arrest = r.number(t, path, "cost_per_arrest");
    spec.interventions.push_back(std::move(i));
  }
  // `after` chains must not loop without time passing.
  for (std::size_t k = 0; k < spec.interventions.size(); ++k) {
    double delay = 0.0;
    std::size_t at = k;
    for (std::size_t steps = 0; steps <= spec.interventions.size(); ++steps) {
      if (spec.interventions[at].trigger != TriggerKind::after) break;
      delay += spec.interventions[at].delay_days;
      at = spec.interventions[at].after;
      if (at == k && delay == 0.0)
        throw r.error(*entries[k].first, entries[k].second, "after",
                      "this `after` chain comes back to itself with no delay: it would fire "
                      "forever at one instant");
      if (at == k) break;
    }
  }
}

/// What every scenario sets about the run, listed or generated alike: its duration, the sample
/// and check intervals, the network measures and the series it records.
void read_run_settings(const ScenarioReader& r, ModelSpec& spec) {
  const toml::table& simulation = r.table(r.root(), "simulation");
  spec.duration_days = r.number(simulation, "simulation", "duration");
  spec.check_interval_days = r.number(simulation, "simulation", "check_interval");
  spec.sample_interval_days = r.number(r.table(r.root(), "output"), "output", "sample_interval");
  read_network_measures(r, spec);
  read_recorded_series(r, spec);
}

void read_places(const ScenarioReader& r, ModelSpec& spec, IdIndex& places) {
  for_each_entry(r, "places", [&](const toml::table& t, const std::string& path) {
    PlaceSpec p;
    p.id = r.text(t, path, "id");
    places.add(p.id, t, path);
    p.name = r.optional_text(t, path, "name").value_or(p.id);
    read_parameters(r, t, path, p);
    p.latitude = r.optional_number(t, path, "lat");
    p.longitude = r.optional_number(t, path, "lon");
    if (p.latitude.has_value() != p.longitude.has_value())
      throw r.error(t, path, p.latitude ? "lat" : "lon", "give both lat and lon, or neither");
    spec.places.push_back(std::move(p));
  });
}

void read_routes(const ScenarioReader& r, ModelSpec& spec, const IdIndex& places, IdIndex& routes) {
  for_each_entry(r, "routes", [&](const toml::table& t, const std::string& path) {
    RouteSpec route;
    route.id = r.text(t, path, "id");
    routes.add(route.id, t, path);
    route.from = places.resolve(t, path, "from");
    route.to = places.resolve(t, path, "to");
    if (route.from == route.to)
      throw r.error(t, path, "to", "a route must join two different places");
    read_parameters(r, t, path, route);
    const toml::table& tt = r.table(t, "travel_time");
    const std::string tt_path = path + ".travel_time";
    route.mean_days = r.number(tt, tt_path, "mean");
    if (route.distribution != TravelTimeDistribution::lognormal && tt.contains("sd") &&
        route.sd_days > 0)
      throw r.error(tt, tt_path, "sd", "sd applies to the lognormal distribution only");
    spec.routes.push_back(std::move(route));
  });
}

void read_markets(const ScenarioReader& r, ModelSpec& spec, const IdIndex& places,
                  IdIndex& markets) {
  for_each_entry(r, "markets", [&](const toml::table& t, const std::string& path) {
    MarketSpec m;
    m.id = r.text(t, path, "id");
    markets.add(m.id, t, path);
    m.place = places.resolve(t, path, "place");
    m.price_per_kg = r.number(t, path, "price_per_kg");
    read_parameters(r, t, path, m);
    spec.markets.push_back(std::move(m));
  });
}

void read_organisations(const ScenarioReader& r, ModelSpec& spec, IdIndex& organisations) {
  for_each_entry(r, "organisations", [&](const toml::table& t, const std::string& path) {
    OrganisationSpec o;
    o.id = r.text(t, path, "id");
    organisations.add(o.id, t, path);
    o.name = r.optional_text(t, path, "name").value_or(o.id);
    read_parameters(r, t, path, o);
    spec.organisations.push_back(std::move(o));
  });
}

/// Cells, with their ties made symmetric.
void read_cells(const ScenarioReader& r, ModelSpec& spec, const EntityIds& ids) {
  for_each_entry(r, "cells", [&](const toml::table& t, const std::string& path) {
    CellSpec c;
    c.id = r.text(t, path, "id");
    c.organisation = ids.organisations.resolve(t, path, "organisation");
    c.place = ids.places.resolve(t, path, "place");
    read_parameters(r, t, path, c);
    c.ties = ids.cells->resolve_list(t, path, "ties");
    if (std::find(c.ties.begin(), c.ties.end(), spec.cells.size()) != c.ties.end())
      throw r.error(t, path, "ties", "a cell cannot be tied to itself");
    spec.cells.push_back(std::move(c));
  });
  for (std::size_t c = 0; c < spec.cells.size(); ++c)  // ties are undirected
    for (std::size_t other : spec.cells[c].ties)
      if (std::find(spec.cells[other].ties.begin(), spec.cells[other].ties.end(), c) ==
          spec.cells[other].ties.end())
        spec.cells[other].ties.push_back(c);
}

void read_vessels(const ScenarioReader& r, ModelSpec& spec, const EntityIds& ids,
                  IdIndex& vessels) {
  for_each_entry(r, "vessels", [&](const toml::table& t, const std::string& path) {
    VesselSpec v;
    v.id = r.text(t, path, "id");
    vessels.add(v.id, t, path);
    v.organisation = ids.organisations.resolve(t, path, "organisation");
    v.home = ids.places.resolve(t, path, "home");
    read_parameters(r, t, path, v);
    spec.vessels.push_back(std::move(v));
  });
}

/// Relays, their coverage (listed places and those within radius_km) and their links.
void read_relays(const ScenarioReader& r, ModelSpec& spec, const EntityIds& ids) {
  const toml::table& root = r.root();
  for_each_entry(r, "relays", [&](const toml::table& t, const std::string& path) {
    RelaySpec relay;
    relay.id = r.text(t, path, "id");
    relay.organisation = ids.organisations.resolve(t, path, "organisation");
    read_parameters(r, t, path, relay);
    relay.place = ids.places.resolve(t, path, "place");
    relay.covers = ids.places.resolve_list(t, path, "covers");
    relay.covers.push_back(relay.place);
    if (const auto radius = r.optional_number(t, path, "radius_km")) {
      const PlaceSpec& here = spec.places[relay.place];
      if (!here.latitude)
        throw r.error(t, path, "radius_km", "needs lat and lon on place \"" + here.id + "\"");
      for (std::size_t p = 0; p < spec.places.size(); ++p)
        if (spec.places[p].latitude && great_circle_km(here, spec.places[p]) <= *radius)
          relay.covers.push_back(p);
    }
    std::sort(relay.covers.begin(), relay.covers.end());
    relay.covers.erase(std::unique(relay.covers.begin(), relay.covers.end()), relay.covers.end());
    relay.links = ids.relays->resolve_list(t, path, "links");
    spec.relays.push_back(std::move(relay));
  });
  for (std::size_t k = 0; k < spec.relays.size(); ++k)
    for (std::size_t other : spec.relays[k].links)
      if (spec.relays[other].organisation != spec.relays[k].organisation)
        throw r.error(*(*r.table_array(root, "relays"))[k].as_table(),
                      "relays[" + std::to_string(k) + "]", "links",
                      "relay \"" + spec.relays[other].id + "\" belongs to another organisation");
}

/// Sources, each with a path to its market its organisation can carry.
void read_sources(const ScenarioReader& r, ModelSpec& spec, const EntityIds& ids) {
  const RouteNetwork network(spec.places, spec.routes);
  IdIndex sources(r, "source");
  for_each_entry(r, "sources", [&](const toml::table& t, const std::string& path) {
    SourceSpec s;
    s.id = r.text(t, path, "id");
    sources.add(s.id, t, path);
    s.place = ids.places.resolve(t, path, "place");
    s.market = ids.markets.resolve(t, path, "market");
    s.organisation = ids.organisations.resolve_optional(t, path, "organisation");
    s.rate_per_day = r.number(t, path, "rate");
    s.size_mean_kg = r.number(t, path, "size_mean");
    read_parameters(r, t, path, s);
    const std::size_t market_place = spec.markets[s.market].place;
    if (!network.fastest_path(s.place, market_place))
      throw r.error(t, path, "market",
                    "no chain of routes leads from place \"" + spec.places[s.place].id +
                        "\" to market place \"" + spec.places[market_place].id + "\"");
    if (s.organisation != kNone && !carriable(spec, network, s.organisation, s.place, market_place))
      throw r.error(t, path, "organisation",
                    "organisation \"" + spec.organisations[s.organisation].id +
                        "\" has no chain of routes from \"" + spec.places[s.place].id + "\" to \"" +
                        spec.places[market_place].id +
                        "\" that it can carry: sea legs need one of its vessels based at either "
                        "end, land and air "
                        "legs one of its cells with members at the start");
    spec.sources.push_back(std::move(s));
  });
}

void read_agencies(const ScenarioReader& r, ModelSpec& spec, IdIndex& agencies) {
  for_each_entry(r, "agencies", [&](const toml::table& t, const std::string& path) {
    AgencySpec a;
    a.id = r.text(t, path, "id");
    agencies.add(a.id, t, path);
    read_parameters(r, t, path, a);
    spec.agencies.push_back(std::move(a));
  });
}

void read_patrols(const ScenarioReader& r, ModelSpec& spec, const EntityIds& ids,
                  IdIndex& patrols) {
  for_each_entry(r, "patrols", [&](const toml::table& t, const std::string& path) {
    PatrolSpec p;
    p.id = r.text(t, path, "id");
    patrols.add(p.id, t, path);
    p.route = ids.routes.resolve(t, path, "route");
    p.agency = ids.agencies.resolve_optional(t, path, "agency");
    read_parameters(r, t, path, p);
    if (p.end_day < p.start_day)
      throw r.error(t, path, "end", "a patrol cannot end before it starts");
    spec.patrols.push_back(std::move(p));
  });
}

/// Bribes: each on a route or at a place, of an organisation.
void read_bribes(const ScenarioReader& r, ModelSpec& spec, EntityIds& ids) {
  for_each_entry(r, "bribes", [&](const toml::table& t, const std::string& path) {
    BribeSpec b;
    b.id = r.text(t, path, "id");
    ids.bribes.add(b.id, t, path);
    b.organisation = ids.organisations.resolve(t, path, "organisation");
    b.route = ids.routes.resolve_optional(t, path, "route");
    b.place = ids.places.resolve_optional(t, path, "place");
    if ((b.route == kNone) == (b.place == kNone))
      throw r.error(t, path, b.route == kNone ? "route" : "place",
                    "a bribe is on a route or at a place: give one of them");
    read_parameters(r, t, path, b);
    spec.bribes.push_back(std::move(b));
  });
}

ModelSpec build_model(const ScenarioReader& r) {
  ModelSpec spec;
  read_run_settings(r, spec);
  // Entities in dependency order: each refers only to those read before it (cells and relays
  // also to each other, so their ids are indexed first).
  EntityIds ids{
      IdIndex(r, "place"),  IdIndex(r, "route"),  IdIndex(r, "market"), IdIndex(r, "organisation"),
      std::nullopt,         IdIndex(r, "vessel"), std::nullopt,         IdIndex(r, "agency"),
      IdIndex(r, "patrol"), IdIndex(r, "bribe")};
  read_places(r, spec, ids.places);
  read_routes(r, spec, ids.places, ids.routes);
  read_markets(r, spec, ids.places, ids.markets);
  read_organisations(r, spec, ids.organisations);
  ids.cells.emplace(index_ids(r, "cells", "cell"));
  read_cells(r, spec, ids);
  read_social_network(r, spec, ids.places, ids.organisations);
  read_vessels(r, spec, ids, ids.vessels);
  ids.relays.emplace(index_ids(r, "relays", "relay"));
  read_relays(r, spec, ids);
  read_sources(r, spec, ids);
  read_agencies(r, spec, ids.agencies);
  read_patrols(r, spec, ids, ids.patrols);
  read_intelligence(r, spec);
  read_bribes(r, spec, ids);
  read_interventions(r, spec, ids);
  return spec;
}

/// An InputError at `node` of the file at `path`.
InputError error_at_node(const std::string& path, const toml::node& node, const std::string& key,
                         const std::string& message) {
  return InputError(path, static_cast<int>(node.source().begin.line),
                    static_cast<int>(node.source().begin.column), key, message);
}

/// The position in `list` of the entry whose id is `id`, if any.
std::optional<std::size_t> entry_with_id(const toml::array& list, std::string_view id) {
  for (std::size_t i = 0; i < list.size(); ++i)
    if (const toml::table* t = list[i].as_table())
      if (const auto* own = t->get_as<std::string>("id"); own && own->get() == id) return i;
  return std::nullopt;
}

/// The ids of a list's entries (for "did you mean").
std::vector<std::string> ids_of(const toml::array& list) {
  std::vector<std::string> ids;
  for (const toml::node& entry : list)
    if (const toml::table* t = entry.as_table())
      if (const auto* id = t->get_as<std::string>("id")) ids.push_back(id->get());
  return ids;
}

/// The entry `text` names between brackets after `array` in the --set key `key`: a number, or
/// the id of an entry. `adding`: a whole entry is being set, which may be a new one (the number
/// one past the end, or an id no entry has); then the position it will take.
std::size_t entry_index(const std::string& key, const std::string& array, const std::string& text,
                        const toml::array* list, bool adding) {
  const std::size_t size = list ? list->size() : 0;
  const auto missing = [&](const std::string& why) {
    return InputError("--set " + key, 0, 0, key, "no entry " + array + "[" + text + "]" + why);
  };
  if (const auto index = parse_unsigned(text)) {
    if (*index < size || (adding && *index == size)) return *index;
    throw missing(" in the scenario (it has " + std::to_string(size) + ")");
  }
  if (text.find_first_not_of("0123456789") == std::string::npos)
    throw missing(" in the scenario");  // digits too large to be a number
  if (list != nullptr)
    if (const auto at = entry_with_id(*list, text)) return *at;
  if (adding) return size;
  throw missing(": no entry has this id" +
                (list ? did_you_mean(text, ids_of(*list)) : std::string()) +
                " (entries are named by number, as in " + array + "[0], or by id)");
}

/// Sets a whole entry `array[index]` (replacing it, or adding it at the end) to `value`, a
/// table; an entry named by id gets that id.
void set_entry(toml::table& table, const std::string& part, std::size_t index,
               const std::optional<std::string>& id, toml::node& value, const std::string& key) {
  toml::table* entry = value.as_table();
  if (entry == nullptr)
    throw InputError("--set " + key, 0, 0, key, "an entry is a table: KEY={ id = \"...\", ... }");
  if (id) {
    const auto* own = entry->get_as<std::string>("id");
    if (own && own->get() != *id)
      throw InputError("--set " + key, 0, 0, key,
                       "the entry's id \"" + own->get() + "\" is not the one in brackets");
    entry->insert_or_assign("id", *id);
  }
  if (!table.contains(part)) table.insert(part, toml::array{});
  toml::array* list = table.get_as<toml::array>(part);
  if (list == nullptr) throw InputError("--set " + key, 0, 0, key, part + " is not a list");
  if (index == list->size()) {
    list->push_back(std::move(*entry));
  } else {
    list->replace(list->cbegin() + static_cast<std::ptrdiff_t>(index), std::move(*entry));
  }
}

/// Applies one "key.path=value" override to the parsed document. Entries of a list are named
/// by number or by id ("patrols[navy-tuxpan].intensity"); setting a whole entry replaces it, or
/// adds it when the number is one past the end or no entry has the id.
void apply_override(toml::table& root, const std::string& assignment) {
  const auto equals = assignment.find('=');
  const std::string origin = "--set " + assignment;
  if (equals == std::string::npos || equals == 0)
    throw InputError(origin, 0, 0, "", "expected KEY=VALUE, for example simulation.duration=365");
  const std::string key = assignment.substr(0, equals);
  toml::table value_doc;
  try {
    value_doc = toml::parse("value = " + assignment.substr(equals + 1), "--set " + key);
  } catch (const toml::parse_error& e) {
    throw InputError("--set " + key, 0, 0, key,
                     "cannot read the value as TOML: " + std::string(e.description()) +
                         " (quote strings: key='\"text\"')");
  }
  // Walk "a.b[2].c", creating missing tables, to the table that holds the last part.
  toml::table* table = &root;
  std::string walked;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = key.find('.', start);
    std::string part =
        key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    std::optional<std::string> index_text;  // the text between [ and ] if the part has one
    if (const auto bracket = part.find('['); bracket != std::string::npos && part.back() == ']') {
      index_text = part.substr(bracket + 1, part.size() - bracket - 2);
      part = part.substr(0, bracket);
    }
    if (part.empty()) throw InputError("--set " + key, 0, 0, key, "malformed key");
    walked = walked.empty() ? part : walked + "." + part;
    const bool last = dot == std::string::npos;
    if (!index_text) {
      if (last) {
        table->insert_or_assign(part, *value_doc.get("value"));
        return;
      }
      if (!table->contains(part)) table->insert(part, toml::table{});
      table = table->get_as<toml::table>(part);
      if (table == nullptr) throw InputError("--set " + key, 0, 0, key, walked + " is not a table");
    } else {
      const toml::array* list = table->get_as<toml::array>(part);
      const std::size_t index = entry_index(key, walked, *index_text, list, last);
      const bool by_id = !parse_unsigned(*index_text).has_value();
      if (last) {
        set_entry(*table, part, index, by_id ? index_text : std::nullopt, *value_doc.get("value"),
                  key);
        return;
      }
      toml::array* entries = table->get_as<toml::array>(part);
      if (!(*entries)[index].is_table())
        throw InputError("--set " + key, 0, 0, key,
                         walked + "[" + *index_text + "] is not a table");
      table = (*entries)[index].as_table();
      walked += "[" + std::to_string(index) + "]";
    }
    start = dot + 1;
  }
}

/// The [generate] section's sizes, topology, rate and seed.
GeneratorSpec read_generator(const ScenarioReader& r, const toml::table& t) {
  const std::string path = "generate";
  GeneratorSpec g;
  const auto count = [&](const char* key) { return static_cast<int>(r.integer(t, path, key)); };
  g.places = count("places");
  g.ports = count("ports");
  g.sources = count("sources");
  g.markets = count("markets");
  g.organisations = count("organisations");
  g.cells = count("cells");
  g.vessels = count("vessels");
  g.relays = count("relays");
  g.patrols = count("patrols");
  g.degree = count("degree");
  const std::string topology = r.text(t, path, "topology");
  g.topology = topology == "small-world"  ? Topology::small_world
               : topology == "scale-free" ? Topology::scale_free
                                          : Topology::geometric;
  g.shipment_rate = r.number(t, path, "shipment_rate");
  g.seed = static_cast<std::uint64_t>(r.integer(t, path, "seed"));
  return g;
}

ModelSpec build_generated(const ScenarioReader& r) {
  const toml::table& root = r.root();
  for (const char* key : {"places", "routes", "markets", "sources", "organisations", "cells",
                          "vessels", "relays", "agencies", "patrols", "bribes", "interventions"})
    if (root.contains(key)) throw r.error(root, "", key, "cannot be combined with [generate]");
  const toml::table& t = r.table(root, "generate");
  const std::string path = "generate";
  const GeneratorSpec g = read_generator(r, t);
  if (g.ports + g.markets > g.places)
    throw r.error(t, path, "places",
                  "needs at least ports + markets = " + std::to_string(g.ports + g.markets));
  if (g.cells < g.places * g.organisations)
    throw r.error(
        t, path, "cells",
        "needs at least places x organisations = " + std::to_string(g.places * g.organisations) +
            ", so that every organisation can carry loads over land");
  if (g.vessels < g.organisations)
    throw r.error(t, path, "vessels", "needs at least one per organisation");
  check_generator_limits(r, g);
  ModelSpec spec = generate_network(g, spec_defaults());
  read_run_settings(r, spec);
  read_intelligence(r, spec);
  return spec;
}

/// Merges `over` into `base`: tables key by key, anything else replaced. Nodes are moved, so
/// that they keep their place in their file for error messages.
void merge_into(toml::table& base, toml::table& over) {
  for (auto&& [key, node] : over) {
    toml::table* inner = base.get_as<toml::table>(key.str());
    if (inner && node.is_table()) {
      merge_into(*inner, *node.as_table());
    } else {
      // A named copy of the binding: clang before 16 cannot capture structured bindings.
      const toml::key& name = key;
      node.visit([&](auto&& concrete) { base.insert_or_assign(name, std::move(concrete)); });
    }
  }
}

/// scenario.remove = { LIST = ["id", ...] }: entries of the base's lists dropped by id.
void remove_from_base(toml::table& merged, const toml::node& remove, const std::string& path) {
  const toml::table* lists = remove.as_table();
  if (lists == nullptr)
    throw error_at_node(
        path, remove, "scenario.remove",
        "expected a table of lists and ids, e.g. { interventions = [\"navy-perote-2012\"] }");
  for (auto&& [name, ids] : *lists) {
    const std::string key = "scenario.remove." + std::string(name.str());
    toml::array* list = merged.get_as<toml::array>(name.str());
    if (list == nullptr)
      throw error_at_node(path, ids, key, "the base has no [[" + std::string(name.str()) + "]]");
    const toml::array* wanted = ids.as_array();
    if (wanted == nullptr) throw error_at_node(path, ids, key, "expected a list of ids");
    for (const toml::node& id : *wanted) {
      const auto* text = id.as_string();
      const auto at = text ? entry_with_id(*list, text->get()) : std::nullopt;
      if (!at)
        throw error_at_node(path, id, key,
                            "the base has no " + std::string(name.str()) + " entry with this id" +
                                (text ? did_you_mean(text->get(), ids_of(*list)) : ""));
      list->erase(list->cbegin() + static_cast<std::ptrdiff_t>(*at));
    }
  }
}

/// scenario.extend = ["LIST", ...]: this file's entries of each list are added to the base's
/// (an entry with the id of a base entry replaces it, in its place) instead of replacing them.
void extend_base(toml::table& merged, toml::table& root, const toml::node& extend,
                 const std::string& path) {
  const toml::array* names = extend.as_array();
  if (names == nullptr)
    throw error_at_node(path, extend, "scenario.extend",
                        "expected a list of list names, e.g. [\"interventions\"]");
  for (const toml::node& name_node : *names) {
    const auto* name = name_node.as_string();
    if (name == nullptr)
      throw error_at_node(path, name_node, "scenario.extend", "expected a list name");
    toml::array* mine = root.get_as<toml::array>(name->get());
    if (mine == nullptr) continue;  // nothing added: the base's list as it is
    toml::array* list = merged.get_as<toml::array>(name->get());
    if (list == nullptr) {
      merged.insert(name->get(), toml::array{});
      list = merged.get_as<toml::array>(name->get());
    }
    for (toml::node& entry : *mine) {
      const toml::table* t = entry.as_table();
      const auto* id = t ? t->get_as<std::string>("id") : nullptr;
      const auto at = id ? entry_with_id(*list, id->get()) : std::nullopt;
      if (at) {
        list->replace(list->cbegin() + static_cast<std::ptrdiff_t>(*at), std::move(entry));
      } else {
        list->push_back(std::move(entry));
      }
    }
    root.erase(name->get());
  }
}

/// Applies this file's scenario.remove and scenario.extend to the lists of its base (`merged`),
/// before the rest of the file is merged into it.
void edit_base_lists(toml::table& merged, toml::table& root, const std::string& path) {
  toml::table* meta = root.get_as<toml::table>("scenario");
  if (meta == nullptr) return;
  if (const toml::node* remove = meta->get("remove")) remove_from_base(merged, *remove, path);
  if (const toml::node* extend = meta->get("extend")) extend_base(merged, root, *extend, path);
  meta->erase("remove");
  meta->erase("extend");
}

/// The path with symbolic links and dot parts resolved as far as it exists; the path itself when
/// it cannot be resolved (a name too long for the system, say: reading it will then fail).
std::string canonical_form(const std::string& path) {
  std::error_code ec;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(path, ec);
  return ec ? std::filesystem::path(path).lexically_normal().string() : canonical.string();
}

/// Parses scenario text and, if it names a scenario.base, the chain of bases below it.
toml::table parse_with_base(const std::string& text, const std::string& path,
                            std::vector<std::string>& chain) {
  toml::table root = parse_toml(text, path);
  const toml::node* base_node = root.at_path("scenario.base").node();
  if (!base_node) {
    for (const std::string key : {"scenario.extend", "scenario.remove"})
      if (const toml::node* edit = root.at_path(key).node())
        throw error_at_node(path, *edit, key,
                            "edits the lists of a base scenario: name one with scenario.base");
    return root;
  }
  const auto located = [&](const std::string& message) {
    return error_at_node(path, *base_node, "scenario.base", message);
  };
  if (!base_node->is_string()) throw located("must be a string (a scenario file)");
  const std::string base_path =
      (std::filesystem::path(path).parent_path() / base_node->as_string()->get())
          .lexically_normal()
          .string();
  const std::string canonical = canonical_form(base_path);
  if (std::find(chain.begin(), chain.end(), canonical) != chain.end())
    throw located("\"" + base_path + "\" is already a base of this scenario: bases cannot loop");
  std::string base_text;
  try {
    base_text = read_input_file(base_path);
  } catch (const InputError& e) {
    throw located("cannot read the base scenario \"" + base_path + "\": " + e.message());
  }
  chain.push_back(canonical);
  toml::table merged = parse_with_base(base_text, base_path, chain);
  if (toml::table* meta = merged.get_as<toml::table>("scenario")) {
    meta->erase("base");
    meta->erase("name");  // a scenario's name is its own (or its file's)
  }
  edit_base_lists(merged, root, path);
  merge_into(merged, root);
  return merged;
}

/// A scenario must create shipments: without a source there is nothing to simulate.
void check_has_sources(const ScenarioReader& r, const ModelSpec& spec) {
  if (!spec.sources.empty()) return;
  throw r.error_at_path("", "sources",
                        "the scenario defines no source of shipments, so there is nothing to "
                        "simulate: add [[sources]] (with the places, routes and market they "
                        "need) or a [generate] section");
}

}  // namespace

SpecDefaults spec_defaults(std::set<std::string>* reads) {
  const toml::table empty;
  const ScenarioReader r("the key table's defaults", empty);
  r.note_reads(reads);
  SpecDefaults d;
  read_run_settings(r, d.model);
  read_intelligence(r, d.model);
  read_parameters(r, empty, "places[0]", d.place);
  read_parameters(r, empty, "routes[0]", d.route);
  read_parameters(r, empty, "organisations[0]", d.organisation);
  read_parameters(r, empty, "cells[0]", d.cell);
  read_parameters(r, empty, "vessels[0]", d.vessel);
  read_parameters(r, empty, "relays[0]", d.relay);
  read_parameters(r, empty, "markets[0]", d.market);
  read_parameters(r, empty, "sources[0]", d.source);
  read_parameters(r, empty, "agencies[0]", d.agency);
  read_parameters(r, empty, "patrols[0]", d.patrol);
  read_parameters(r, empty, "bribes[0]", d.bribe);
  d.generator = read_generator(r, empty);
  return d;
}

Scenario parse_scenario(std::string text, const std::string& path,
                        const std::vector<std::string>& overrides) {
  return parse_scenario(std::move(text), path, overrides, nullptr);
}

Scenario parse_scenario(std::string text, const std::string& path,
                        const std::vector<std::string>& overrides, std::set<std::string>* reads) {
  std::vector<std::string> chain{canonical_form(path)};
  toml::table root = parse_with_base(text, path, chain);
  const bool based = chain.size() > 1;
  for (const std::string& assignment : overrides)
    apply_override(root, assignment);
  const ScenarioReader reader(path, root);
  reader.check();
  reader.note_reads(reads);
  if (reads != nullptr)  // read by parse_with_base, above
    for (const char* key : {"scenario.base", "scenario.extend", "scenario.remove"})
      reads->insert(key);

  Scenario scenario;
  scenario.path = path;
  const toml::table& meta = reader.table(root, "scenario");
  scenario.name = reader.optional_text(meta, "scenario", "name")
                      .value_or(std::filesystem::path(path).stem().string());
  scenario.description = reader.text(meta, "scenario", "description");
  scenario.seed = static_cast<std::uint64_t>(
      reader.integer(reader.table(root, "simulation"), "simulation", "seed"));
  scenario.model = root.contains("generate") ? build_generated(reader) : build_model(reader);
  check_has_sources(reader, scenario.model);
  check_run_limits(reader, scenario.model);
  scenario.text = std::move(text);
  if (based) {
    std::ostringstream merged;
    merged << "# " << path << " merged with its base scenario(s)\n" << toml::toml_formatter(root);
    scenario.resolved_text = merged.str();
  }
  scenario.overrides = overrides;
  return scenario;
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  return parse_scenario(read_input_file(path), path, overrides);
}

std::string resolved_document(const std::string& path, const std::vector<std::string>& overrides) {
  std::vector<std::string> chain{canonical_form(path)};
  toml::table root = parse_with_base(read_input_file(path), path, chain);
  for (const std::string& assignment : overrides)
    apply_override(root, assignment);
  ScenarioReader(path, root).check();
  std::ostringstream out;
  out << toml::toml_formatter(root);
  return out.str();
}

}  // namespace interdict::scenario
