// ModelSpec: the plain, validated description of a model that the scenario builder produces.
//
// A field that a scenario key sets has no default here: its default, range and choices live
// only in the key table (scenario/ScenarioKeys.cpp), and scenario::spec_defaults() gives every
// entity with its parameters at those defaults (what generated networks and hand-built specs
// start from). The initialisers that remain mark absence: kNone (no such entity), kNever (no
// end), -1 (unchanged, or no limit).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace interdict::model {

inline constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
inline constexpr double kNever = std::numeric_limits<double>::infinity();

enum class PlaceKind { source, port, coast, town, border, market };
enum class RouteMode { land, sea, air };
enum class TravelTimeDistribution { fixed, exponential, lognormal };
enum class VesselType { go_fast, fishing, semi_submersible };
enum class RelayKind { control_centre, antenna, repeater };
enum class AgencyKind { navy, police, army };

/// Names of the enumerators as scenario files spell them, in enumerator order.
inline constexpr std::array<std::string_view, 6> kPlaceKindNames{"source", "port",   "coast",
                                                                 "town",   "border", "market"};
inline constexpr std::array<std::string_view, 3> kRouteModeNames{"land", "sea", "air"};
inline constexpr std::array<std::string_view, 3> kDistributionNames{"fixed", "exponential",
                                                                    "lognormal"};
inline constexpr std::array<std::string_view, 3> kVesselTypeNames{"go-fast", "fishing",
                                                                  "semi-submersible"};
inline constexpr std::array<std::string_view, 3> kRelayKindNames{"control-centre", "antenna",
                                                                 "repeater"};
inline constexpr std::array<std::string_view, 3> kAgencyKindNames{"navy", "police", "army"};

/// The scenario-file name of an enumerator.
template <class Enum, std::size_t N>
constexpr std::string_view name_of(Enum e, const std::array<std::string_view, N>& names) {
  return names[static_cast<std::size_t>(e)];
}

/// Roles of cell members (after Duijn et al. 2014's value-chain roles, grouped).
enum class Role : std::uint8_t { leader, broker, transporter, lookout };
inline constexpr std::size_t kRoleCount = 4;
inline constexpr std::array<std::string_view, kRoleCount> kRoleNames{"leader", "broker",
                                                                     "transporter", "lookout"};
using RoleCounts = std::array<int, kRoleCount>;

/// A location: where drugs are produced, pass through or are sold.
struct PlaceSpec {
  std::string id{};
  std::string name{};
  PlaceKind kind{};
  std::string region{};
  std::optional<double> latitude{};   // degrees
  std::optional<double> longitude{};  // degrees
};

/// A directed leg between two places. Travel times are drawn per traversal.
struct RouteSpec {
  std::string id{};
  std::size_t from{};  // index into places
  std::size_t to{};
  RouteMode mode{};
  double length_km{};
  TravelTimeDistribution distribution{};
  double mean_days{};
  double sd_days{};
  double exposure{};  // multiplies patrol detection hazards on this route
  int capacity{};     // shipments on the route at once; 0 = unlimited
};

/// Parameters of an organisation's behaviour, grouped by mechanism.
struct OrganisationSpec {
  std::string id{};
  std::string name{};
  double capital{};       // USD at the start
  double credit_limit{};  // USD of debt it may run up to pay for recovery
  // Command
  double headless_delay{};  // days, mean wait before a load is sent while it has no command
  bool stale_routes{};      // no re-planning while it has no command
  bool command_centres{};   // losing every control centre also leaves it without command
  // Economics
  double cost_per_kg_km{};  // USD
  double handoff_cost{};    // USD per hand-off
  double bribe_fraction{};  // of the sale value, paid along the way
  // Routing
  double learning_rate{};    // exponential smoothing of perceived seizure risk per route
  double initial_risk{};     // prior perceived seizure probability per route
  double risk_aversion{};    // weight of -ln(1 - risk) against cost in route choice
  double time_value{};       // fraction of the value lost per day under way, in route choice
  double replan_interval{};  // days between route re-plans
  double forgetting_rate{};  // 1/day: perceived risk drifts back to initial_risk when unused
  double probing{};          // share of loads sent by the risk-neutral best path
  // Communication
  double radio_delay{};           // days, mean coordination time over radio
  double fallback_delay{};        // days, mean coordination time over phones / social media
  double fallback_leak{};         // probability a fallback coordination is intercepted
  double fallback_failure{};      // probability a fallback coordination fails
  double coordination_timeout{};  // days before a failed coordination is retried
  // Operations
  double lookout_effect{};  // hazard divided by (1 + effect x lookouts at the origin)
  double retry_interval{};  // days before a shipment waiting for a carrier retries
  double loading_days{};    // days to load a vessel
  // Recovery
  double recruitment_rate{};          // recruits per missing member per day
  double recruitment_delay{};         // days from contact to active member (mean)
  double recruit_cost{};              // USD per recruit
  double replacement_delay{};         // days for a tie to take over a leader or broker (mean)
  double relay_rebuild_delay{};       // days
  double relay_cost{};                // USD per rebuilt relay
  double vessel_replacement_delay{};  // days
  double vessel_cost{};               // USD per replacement vessel
};

/// A land group at a place: members by role and ties to other cells.
struct CellSpec {
  std::string id{};
  std::size_t organisation{};
  std::size_t place{};
  RoleCounts members{};             // initial and target numbers by role
  std::vector<std::size_t> ties{};  // indices of cells
};

/// A boat carrying loads on sea legs that start or end at its home port.
struct VesselSpec {
  std::string id{};
  std::size_t organisation{};
  VesselType type{};
  std::size_t home{};  // place index
  double capacity_kg{};
  double speed_kmh{};  // 0: the route's travel time applies
  int crew{};
};

/// Radio infrastructure: covers places, linked to other relays.
struct RelaySpec {
  std::string id{};
  std::size_t organisation{};
  RelayKind kind{};
  std::size_t place{};
  std::vector<std::size_t> covers{};  // place indices (always includes its own place)
  std::vector<std::size_t> links{};   // relay indices (undirected)
};

/// Where shipments are sold, and at what price.
struct MarketSpec {
  std::string id{};
  std::size_t place{};
  double price_per_kg{};       // USD, the reference price
  double demand_kg_per_day{};  // consumed at the reference price; 0: the price is fixed
  double elasticity{};         // price elasticity of demand (magnitude)
  double adjustment_days{};    // time over which supply is averaged
  double price_cap{};          // the price stays within [p0 / cap, p0 x cap]
};

/// Creates shipments as a Poisson process and sends them to one market.
struct SourceSpec {
  std::string id{};
  std::size_t place{};
  std::size_t market{};              // index into markets
  std::size_t organisation = kNone;  // kNone: independent shipments, no carriers
  double rate_per_day{};
  double size_mean_kg{};
  double size_sd_kg{};
  double start_day{};
  double buy_price_per_kg{};   // USD, paid by the organisation
  double supply_elasticity{};  // the rate is multiplied by (price / reference price)^this
};

/// An enforcement agency: budget and intelligence sharing.
struct AgencySpec {
  std::string id{};
  AgencyKind kind{};
  double budget = kNever;   // USD
  double sharing_delay{};   // days before intercepted information is actionable
  double intel_lifetime{};  // days an item stays actionable
  double intel_boost{};     // hazard multiplied by (1 + boost) with actionable intelligence
  double raid_rate{};       // 1/day: raids on each place where an organisation's loads wait
  int raid_arrests{};       // members arrested per raid at the place
};

/// An enforcement asset watching one route during [start, end).
struct PatrolSpec {
  std::string id{};
  std::size_t route{};
  double detection_probability{};  // per passage
  double intensity{};              // detections per day of exposure
  double start_day{};
  double end_day = kNever;
  std::size_t agency = kNone;
  double cost_per_day{};        // USD
  double arrest_probability{};  // per crew member on a seizure
  double vessel_seizure_probability{};
};

/// Officials an organisation pays: on a route they look away (its loads' detection there is
/// multiplied by 1 - effect), at a place they warn its cells (a raid on its stash there is
/// called off with probability effect). Paid daily under the debt rule; when officials are
/// purged the organisation corrupts others after a mean replace_days.
struct BribeSpec {
  std::string id{};
  std::size_t organisation{};
  std::size_t route = kNone;  // one of route and place
  std::size_t place = kNone;
  double effect{};
  double cost_per_day{};  // USD
  double replace_days{};
  double start_day{};
};

/// What enforcement can learn about the cells and their ties, and how (docs/strategies.md).
struct IntelligenceSpec {
  bool oracle{};                            // enforcement knows the true network at once
  double reveal_probability{};              // per tie of the cell of an arrested or seized crew
  double leak_locates{};                    // an intercepted call locates the cells at both ends
  bool social_media{};                      // monitoring of geo-tagged posts, on at the start
  double social_media_rate{};               // per cell and day: posts that locate an active cell
  double recruit_exposure{};                // probability a recruit's online tracks locate the cell
  bool radio_interception{};                // interception of radio hand-offs, on at the start
  double radio_interception_probability{};  // per radio hand-off
  double informant_rate{};                  // per day: an informant reports a cell and all its ties
  double lifetime{};                        // days an item stays in the picture unless refreshed
};

enum class TriggerKind : std::uint8_t { at, every, when, after };
enum class TargetKind : std::uint8_t { none, relays, cells, vessels };
inline constexpr std::array<std::string_view, 4> kTargetNames{"", "relays", "cells", "vessels"};
/// Targeting strategies (the names of graph::Strategy).
inline constexpr std::array<std::string_view, 7> kStrategyNames{
    "random", "degree", "betweenness", "closeness", "eigenvector", "katz", "key-player"};

/// What a dismantle or an arrest aims at when it does not list its targets: the eligible nodes
/// (by kind and region), ranked by a strategy on the network enforcement knows (or the true one).
struct TargetSelection {
  TargetKind target = TargetKind::none;  // dismantle: relays, cells or vessels
  std::string kind{};                    // relay kind, vessel type, or cell role held by a member
  std::string region{};                  // places' region
  std::size_t strategy = kNone;          // index into kStrategyNames; kNone: scenario order
  bool recompute = false;
  bool true_network = false;  // rank on the true network instead of enforcement's picture
  int count = -1;             // targets selected; -1: all that qualify
};

/// Destroys relays, seizes vessels (with their loads) and arrests whole cells, listed or
/// selected, then makes `arrests` further arrests among the users of what it hit.
struct DismantleAction {
  static constexpr std::string_view kName = "dismantle";
  std::vector<std::size_t> relays{};
  std::vector<std::size_t> cells{};
  std::vector<std::size_t> vessels{};
  TargetSelection select{};
  int arrests{};
};

/// Arrests `arrests` people (of `role`, or brokers first), one per ranked cell in turn.
struct ArrestAction {
  static constexpr std::string_view kName = "arrest";
  std::vector<std::size_t> cells{};  // listed; else selected
  TargetSelection select{};
  int arrests{};
  int role = -1;  // Role, -1 any
};

/// Changes a patrol's intensity or detection, moves it, or re-allocates it to the route with
/// most seizures so far.
struct PatrolAction {
  static constexpr std::string_view kName = "patrol";
  std::size_t patrol = kNone;
  std::size_t route = kNone;  // move to this route
  bool reallocate = false;
  double intensity = -1.0;  // new value, -1 unchanged
  double detection_probability = -1.0;
  double scale{};  // multiplies intensity and detection
};

/// Sets the sharing delay of the intervention's agency (of all agencies without one).
struct SharingAction {
  static constexpr std::string_view kName = "sharing";
  double sharing_delay{};
};

/// Switches social-media monitoring or radio interception on or off.
struct MonitoringAction {
  static constexpr std::string_view kName = "monitoring";
  int social_media = -1;  // 1 on, 0 off, -1 unchanged
  int radio_interception = -1;
};

/// Removes the corrupted officials of listed bribes (of every bribe without a list).
struct PurgeAction {
  static constexpr std::string_view kName = "purge";
  std::vector<std::size_t> bribes{};
};

/// Every action an intervention can take: each a type with its own fields, read and checked by
/// the scenario reader and applied by model/Actions.cpp. A new action is a struct here, one
/// entry in this list, an apply() and a reader.
using Action = std::variant<DismantleAction, ArrestAction, PatrolAction, SharingAction,
                            MonitoringAction, PurgeAction>;

/// The name scenario files give an action.
inline std::string_view action_name(const Action& action) {
  return std::visit([](const auto& a) { return a.kName; }, action);
}

/// An enforcement action and when it happens.
struct InterventionSpec {
  std::string id{};
  // Trigger
  TriggerKind trigger = TriggerKind::at;
  double at_day{};             // at; every: first firing
  double every_days{};         // every
  double until_day = kNever;   // every: no firing after
  std::size_t metric = kNone;  // when: index into the series table
  double threshold = 0.0;      // when
  bool above = true;           // when: fires when the metric rises above (else falls below)
  std::size_t after = kNone;   // after: the intervention whose firing it follows
  double delay_days{};         // after
  Action action{};
  std::size_t agency = kNone;  // who acts and pays
  double cost{};               // USD per firing
  double cost_per_arrest{};    // USD
};

/// Everything the model needs to run.
struct ModelSpec {
  double duration_days{};
  double sample_interval_days{};
  double check_interval_days{};  // between checks of `when` conditions
  /// Which network measures the true_* and known_* series get: all; basic (no efficiency and
  /// betweenness centralisation, the costly ones); none (all NaN).
  enum class NetworkMeasures : std::uint8_t { all, basic, none } network_measures{};
  /// Networks of up to this many cells get exact efficiency and betweenness centralisation;
  /// larger ones sampled estimates, each within measure_error of the exact value with
  /// probability 0.95 (graph/SampledMeasures.hpp).
  std::size_t exact_measure_limit = 1000;
  double measure_error = 0.05;
  /// Indices (into TraffickingModel::series()) of the series recorded, in that order; empty: all.
  /// Every series is still computed (triggers read them): this only chooses what is stored.
  std::vector<std::size_t> recorded_series{};
  std::vector<PlaceSpec> places{};
  std::vector<RouteSpec> routes{};
  std::vector<MarketSpec> markets{};
  std::vector<SourceSpec> sources{};
  std::vector<OrganisationSpec> organisations{};
  std::vector<CellSpec> cells{};
  std::vector<VesselSpec> vessels{};
  std::vector<RelaySpec> relays{};
  std::vector<AgencySpec> agencies{};
  std::vector<PatrolSpec> patrols{};
  std::vector<BribeSpec> bribes{};
  std::vector<InterventionSpec> interventions{};
  IntelligenceSpec intelligence{};
};

}  // namespace interdict::model
