// ScenarioKeys: the scenario key table and its renderings.
#include "scenario/ScenarioKeys.hpp"

#include "scenario/Calibration.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

namespace interdict::scenario {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMaxDays = 36500.0;  // a hundred years: anything longer is a typo

using enum KeyType;

// clang-format off
constexpr std::array kKeys{
  KeySpec{"scenario", table, "", "", false, -kInf, kInf, false, "", "What the scenario is."},
  KeySpec{"scenario.name", string, "", "", false, -kInf, kInf, false, "", "Short name; defaults to the file name without extension."},
  KeySpec{"scenario.base", string, "", "", false, -kInf, kInf, false, "", "A scenario file (relative to this one) this one starts from: its tables are merged key by key, anything else here (values, arrays such as [[interventions]]) replaces the base's, unless scenario.extend says otherwise."},
  KeySpec{"scenario.extend", string_array, "", "[]", false, -kInf, kInf, false, "", "With a base: lists whose entries here are added to the base's instead of replacing them, e.g. [\"interventions\"]; an entry with the id of one of the base's replaces it in its place."},
  KeySpec{"scenario.remove", any_table, "", "{}", false, -kInf, kInf, false, "", "With a base: entries of the base's lists dropped by id, e.g. { interventions = [\"navy-perote-2012\"] }."},
  KeySpec{"scenario.description", string, "", "\"\"", false, -kInf, kInf, false, "", "Free text: purpose, sources, assumptions."},

  KeySpec{"simulation", table, "", "", false, -kInf, kInf, false, "", "Length and randomness of a run."},
  KeySpec{"simulation.duration", number, "days", "365", false, 0.0, kMaxDays, true, "", "Simulated time span of a run."},
  KeySpec{"simulation.check_interval", number, "days", "1", false, 1e-3, kMaxDays, false, "", "Time between checks of the `when` conditions of interventions (the first at t = 0, each after the sample of the same time); at least 0.001 days. A schedule of its own, so that output.sample_interval never changes a run."},
  KeySpec{"simulation.seed", integer, "", "1", false, 0.0, 9.2e18, false, "", "Base random seed; `interdict run --seed` overrides it. Streams are keyed by (seed, replicate, stream name)."},

  KeySpec{"generate", table, "", "", false, -kInf, kInf, false, "", "Generate a synthetic network instead of listing places, routes and actors (for studies of scale and benchmarks). Cannot be combined with those sections."},
  KeySpec{"generate.places", integer, "", "100", false, 2.0, 1e6, false, "", "Places on land: ports, border markets and towns, on a 1000 km square. Each place's nearest places and each relay's nearest relays come from k-d trees, and each relay covers the places within 1.2 x 1000 km / sqrt(relays per organisation): at most 1e9 such steps in all (200,000 places and 20,000 relays take about 8e7)."},
  KeySpec{"generate.ports", integer, "", "5", false, 1.0, 1e5, false, "", "Ports on the west coast."},
  KeySpec{"generate.sources", integer, "", "2", false, 1.0, 1e5, false, "", "Offshore pick-up points, each a source with a sea leg to every port. A generated network has at most 1e7 routes (two per road, one per sea leg)."},
  KeySpec{"generate.markets", integer, "", "2", false, 1.0, 1e5, false, "", "Border markets on the north edge. Each organisation keeps a route tree over every place and route per market its sources supply: at most 8e9 bytes of trees (about 32 bytes a place and 25 a route each) and 1e10 steps checking that the markets are reached."},
  KeySpec{"generate.organisations", integer, "", "1", false, 1.0, 1e3, false, "", "Organisations; cells, vessels, relays and sources are shared out round-robin."},
  KeySpec{"generate.cells", integer, "", "200", false, 1.0, 1e7, false, "", "Cells (1 leader, 1 broker, 2 transporters, 1 lookout each); at least places x organisations."},
  KeySpec{"generate.vessels", integer, "", "20", false, 1.0, 1e6, false, "", "Go-fast boats based at the ports; at least one per organisation."},
  KeySpec{"generate.relays", integer, "", "20", false, 0.0, 1e5, false, "", "Radio relays; the first of each organisation is its control centre."},
  KeySpec{"generate.patrols", integer, "", "10", false, 0.0, 1e6, false, "", "Patrols on random sea legs (hazard 0.3/day) and roads (5% per passage), alternately."},
  KeySpec{"generate.topology", string, "", "\"geometric\"", false, -kInf, kInf, false, "geometric|small-world|scale-free", "Road network family: k nearest neighbours, Watts-Strogatz ring, or Barabási-Albert."},
  KeySpec{"generate.degree", integer, "", "4", false, 1.0, 100.0, false, "", "Mean number of road neighbours of a place (before the backbone is added). A generated network has at most 1e7 routes (two per road, one per sea leg)."},
  KeySpec{"generate.shipment_rate", number, "shipments/day", "1", false, 1e-6, 1e4, false, "", "Loads per day from each source (at least 1e-6, so that the time to the next one is finite). A run may create at most 1e8 loads (rate x days, summed over sources)."},
  KeySpec{"generate.seed", integer, "", "1", false, 0.0, 9.2e18, false, "", "Seed of the generator (the network), independent of simulation.seed (the run)."},

  KeySpec{"output", table, "", "", false, -kInf, kInf, false, "", "What is recorded."},
  KeySpec{"output.network_measures", string, "", "\"all\"", false, -kInf, kInf, false, "all|basic|none", "Measures of the true and known cell networks in the time series: all; basic (no efficiency and betweenness centralisation, the costly ones); none (NaN, for the fastest runs of very large networks). Efficiency and betweenness centralisation are exact up to output.exact_measure_limit cells and sampled above it, within output.measure_error."},
  KeySpec{"output.exact_measure_limit", integer, "cells", "1000", false, 0.0, 10000.0, false, "", "Largest network (cells operating, or known) whose efficiency and betweenness centralisation are computed exactly, by a search from every cell each time the network changes; larger networks get sampled estimates within output.measure_error (unless the sample would need as many pairs as the square of their cells, about the work of the exact measures). At most 10,000: the exact measures of 10,000 cells take about 3 s each time (docs/performance.md)."},
  KeySpec{"output.measure_error", number, "", "0.05", false, 0.01, 0.5, false, "", "Bound on the error of sampled efficiency and betweenness centralisation (networks above output.exact_measure_limit cells): each estimate is within this of the exact value with probability 0.95, from random pairs of cells joined by a shortest path (Riondato and Kornaropoulos 2016; docs/model.md 3.3.14). The pairs needed grow as 1 / error^2: about 2,700 to 3,600 at 0.05 for 10,000 to a million cells, 70,000 to 90,000 at 0.01 (the least allowed)."},
  KeySpec{"output.series", string_array, "", "[]", false, -kInf, kInf, false, "", "Time series to record, by name (`interdict metrics` and docs/output-format.md list them); empty: all. Every series is still computed (intervention triggers read them), so results do not change: a study of many runs that needs a few metrics writes, merges and loads that much less."},
  KeySpec{"output.sample_interval", number, "days", "1", false, 1e-3, kMaxDays, false, "", "Time between samples of the time series (the first sample is at t = 0); at least 0.001 days (86 s). A run records at most 1,000,000 samples (duration / sample_interval + 1)."},

  KeySpec{"places", table_array, "", "", false, -kInf, kInf, false, "", "Locations: sources, ports, coast points, towns, border crossings, markets."},
  KeySpec{"places[].id", string, "", "", true, -kInf, kInf, false, "", "Unique identifier, used by routes, sources and markets."},
  KeySpec{"places[].name", string, "", "", false, -kInf, kInf, false, "", "Display name; defaults to the id."},
  KeySpec{"places[].kind", string, "", "\"town\"", false, -kInf, kInf, false, "source|port|coast|town|border|market", "Role of the place in the supply chain."},
  KeySpec{"places[].region", string, "", "\"\"", false, -kInf, kInf, false, "", "Region (state, department, sea area) for grouping."},
  KeySpec{"places[].lat", number, "degrees", "", false, -90.0, 90.0, false, "", "Latitude (WGS84), optional."},
  KeySpec{"places[].lon", number, "degrees", "", false, -180.0, 180.0, false, "", "Longitude (WGS84), optional."},

  KeySpec{"routes", table_array, "", "", false, -kInf, kInf, false, "", "Directed legs between places."},
  KeySpec{"routes[].id", string, "", "", true, -kInf, kInf, false, "", "Unique identifier, used by patrols."},
  KeySpec{"routes[].from", string, "", "", true, -kInf, kInf, false, "", "Id of the place the leg starts at."},
  KeySpec{"routes[].to", string, "", "", true, -kInf, kInf, false, "", "Id of the place the leg ends at."},
  KeySpec{"routes[].mode", string, "", "\"land\"", false, -kInf, kInf, false, "land|sea|air", "Transport mode."},
  KeySpec{"routes[].length_km", number, "km", "0", false, 0.0, 40000.0, false, "", "Length of the leg. It sets the transport cost (economics.cost_per_kg_km x kg x length) and its weight in route choice, and on sea legs carried by a vessel with a speed, the mean travel time (length / speed, with the route's distribution and coefficient of variation). 0: no distance costs, and vessels keep the route's own travel time."},
  KeySpec{"routes[].travel_time", table, "", "", true, -kInf, kInf, false, "", "Distribution of the time one traversal takes, drawn afresh each time."},
  KeySpec{"routes[].travel_time.distribution", string, "", "\"lognormal\"", false, -kInf, kInf, false, "fixed|exponential|lognormal", "Family of the travel-time distribution (lognormal with sd = 0 is fixed)."},
  KeySpec{"routes[].travel_time.mean", number, "days", "", true, 1e-4, kMaxDays, false, "", "Mean travel time (at least 0.0001 days, about 9 s, so that sd / mean stays finite)."},
  KeySpec{"routes[].travel_time.sd", number, "days", "0", false, 0.0, kMaxDays, false, "", "Standard deviation of the travel time (lognormal only)."},
  KeySpec{"routes[].exposure", number, "", "1", false, 0.0, 1e3, false, "", "Multiplies the detection hazard of every patrol on the route (open sea vs. covered road)."},
  KeySpec{"routes[].capacity", integer, "shipments", "0", false, 0.0, 1e6, false, "", "Loads that can be on the route at once; 0 means unlimited."},

  KeySpec{"markets", table_array, "", "", false, -kInf, kInf, false, "", "Places where shipments are sold."},
  KeySpec{"markets[].id", string, "", "", true, -kInf, kInf, false, "", "Unique identifier, used by sources."},
  KeySpec{"markets[].place", string, "", "", true, -kInf, kInf, false, "", "Id of the place where the market is."},
  KeySpec{"markets[].price_per_kg", number, "USD/kg", "", true, 0.0, 1e7, false, "", "Wholesale price paid on delivery; with demand, the reference price at which the market takes `demand` kg a day."},
  KeySpec{"markets[].demand", number, "kg/day", "0", false, 0.0, 1e9, false, "", "Kilograms consumed per day at the reference price. With demand the price clears the supply: p = price_per_kg x (S / demand)^(-1 / elasticity), S the delivery rate averaged over adjustment_days, so scarcity raises it and gluts lower it. 0: the price is fixed.", 1e-6},
  KeySpec{"markets[].elasticity", number, "", "0.5", false, 0.01, 10.0, false, "", "Price elasticity of demand (its magnitude): consumption falls by this share for each share the price rises. Most estimates are below 1 (Caulkins & Reuter 2010)."},
  KeySpec{"markets[].adjustment_days", number, "days", "30", false, 1e-3, kMaxDays, false, "", "Time over which deliveries are averaged into the supply the price clears: how fast the price answers a change in supply (an assumption; vary it)."},
  KeySpec{"markets[].price_cap", number, "", "10", false, 1.0, 1e3, false, "", "The price stays between price_per_kg / cap and price_per_kg x cap (no supply at all sets the top)."},

  KeySpec{"sources", table_array, "", "", false, -kInf, kInf, false, "", "Where shipments are created (production or arrival in the region)."},
  KeySpec{"sources[].id", string, "", "", true, -kInf, kInf, false, "", "Unique identifier; names the source's random streams."},
  KeySpec{"sources[].place", string, "", "", true, -kInf, kInf, false, "", "Id of the place where shipments start."},
  KeySpec{"sources[].market", string, "", "", true, -kInf, kInf, false, "", "Id of the market the shipments go to, by the fastest path. Each organisation keeps a route tree over every place and route per market its sources supply: at most 8e9 bytes of trees in all."},
  KeySpec{"sources[].rate", number, "shipments/day", "", true, 1e-6, 1e4, false, "", "Mean number of shipments created per day (Poisson process), at least 1e-6 so that the time to the next one is finite. A run may create at most 1e8 loads (rate x days producing, summed over sources, pieces split off for vessels included)."},
  KeySpec{"sources[].size_mean", number, "kg", "", true, 1.0, 1e6, false, "", "Mean shipment size (rounded to whole kg, at least 1)."},
  KeySpec{"sources[].size_sd", number, "kg", "0", false, 0.0, 1e6, false, "", "Standard deviation of the shipment size (lognormal); 0 for a fixed size."},
  KeySpec{"sources[].start", number, "days", "0", false, 0.0, kMaxDays, false, "", "Time the source starts producing."},
  KeySpec{"sources[].organisation", string, "", "", false, -kInf, kInf, false, "", "Id of the organisation that owns the shipments; absent: they move on their own by the fastest path, with no carriers."},
  KeySpec{"sources[].buy_price", number, "USD/kg", "0", false, 0.0, 1e7, false, "", "Price the organisation pays per kg at the source (NarcoLogic: 4,500)."},
  KeySpec{"sources[].supply_elasticity", number, "", "0", false, 0.0, 10.0, false, "", "How the source's rate follows its market's price: it is multiplied by (price / reference price)^this (drawn by thinning). 0: a fixed rate; it matters only at a market with demand."},

  KeySpec{"organisations", table_array, "", "", false, -kInf, kInf, false, "", "Trafficking organisations (cartels): they own cells, vessels, relays and shipments."},
  KeySpec{"organisations[].id", string, "", "", true, -kInf, kInf, false, "", "Unique identifier."},
  KeySpec{"organisations[].name", string, "", "", false, -kInf, kInf, false, "", "Display name; defaults to the id."},
  KeySpec{"organisations[].capital", number, "USD", "0", false, 0.0, 1e13, false, "", "Money at the start; pays for purchases, recruits, relays and vessels."},
  KeySpec{"organisations[].credit_limit", number, "USD", "0", false, 0.0, 1e13, false, "", "Debt the organisation may run up to pay for recovery (recruits, relays, vessels): it pays a cost only while its capital after paying stays at or above minus this; what costs nothing is never held back. Purchases at sources, hand-offs, transport and bribes are paid whatever the capital (the debt rule: suppliers and carriers give credit, recovery needs cash or credit)."},
  KeySpec{"organisations[].economics", table, "", "", false, -kInf, kInf, false, "", "Costs of moving drugs."},
  KeySpec{"organisations[].economics.cost_per_kg_km", number, "USD/(kg km)", "0", false, 0.0, 1e3, false, "", "Transport cost per kilogram and kilometre of each leg."},
  KeySpec{"organisations[].economics.handoff_cost", number, "USD", "0", false, 0.0, 1e9, false, "", "Cost of each hand-off between carriers."},
  KeySpec{"organisations[].economics.bribe_fraction", number, "", "0", false, 0.0, 1.0, false, "", "Share of the sale value paid in bribes along the way (NarcoLogic: 0.3)."},
  KeySpec{"organisations[].routing", table, "", "", false, -kInf, kInf, false, "", "Route choice and learning."},
  KeySpec{"organisations[].routing.learning_rate", number, "", "0.5", false, 0.0, 1.0, false, "", "Weight of the latest outcome in the perceived seizure risk of a route (exponential smoothing)."},
  KeySpec{"organisations[].routing.initial_risk", number, "", "0", false, 0.0, 0.99, false, "", "Perceived seizure probability of every route at the start."},
  KeySpec{"organisations[].routing.risk_aversion", number, "", "1", false, 0.0, 1e3, false, "", "Weight of -ln(1 - perceived risk) in the route cost; 0 ignores risk."},
  KeySpec{"organisations[].routing.time_value", number, "1/day", "0.01", false, 0.0, 10.0, false, "", "Fraction of a load's value lost per day under way, in the route cost."},
  KeySpec{"organisations[].routing.replan_interval", number, "days", "1", false, 0.0, kMaxDays, true, "", "Time between route re-plans."},
  KeySpec{"organisations[].routing.forgetting_rate", number, "1/day", "0.0111", false, 0.0, 10.0, false, "", "Rate at which the perceived risk of a route drifts back to initial_risk while the organisation learns nothing new about it: the gap shrinks by exp(-rate x days). The default, about 1/90 (to 37% in 90 days), is an assumption, to be varied in sensitivity studies. 0: a route keeps its perceived risk until used again, so a route abandoned under a patrol is never tried again unless probing sends loads there."},
  KeySpec{"organisations[].routing.probing", number, "", "0.02", false, 0.0, 1.0, false, "", "Share of loads sent by the route that is best ignoring perceived risk (by time and cost only), to test routes believed risky: what they meet is learned like any other outcome. The default, one load in 50, is an assumption, to be varied in sensitivity studies. 0: none."},
  KeySpec{"organisations[].communication", table, "", "", false, -kInf, kInf, false, "", "Coordination of hand-offs."},
  KeySpec{"organisations[].communication.radio_delay", number, "days", "0.02", false, 0.0, kMaxDays, false, "", "Mean time to coordinate a hand-off over radio (exponential)."},
  KeySpec{"organisations[].communication.fallback_delay", number, "days", "0.5", false, 0.0, kMaxDays, false, "", "Mean time to coordinate over fallback channels: phones, social media (exponential)."},
  KeySpec{"organisations[].communication.fallback_leak", number, "", "0.2", false, 0.0, 1.0, false, "", "Probability that a fallback coordination is intercepted and gives enforcement intelligence on the leg."},
  KeySpec{"organisations[].communication.fallback_failure", number, "", "0.1", false, 0.0, 1.0, false, "", "Probability that a fallback coordination fails and is retried after the timeout."},
  KeySpec{"organisations[].communication.timeout", number, "days", "1", false, 1e-3, kMaxDays, false, "", "Wait before a failed coordination is retried (at least 0.001 days, 86 s, so that retries take time)."},
  KeySpec{"organisations[].operations", table, "", "", false, -kInf, kInf, false, "", "Day-to-day operation."},
  KeySpec{"organisations[].operations.lookout_effect", number, "", "0.1", false, 0.0, 100.0, false, "", "Detection hazard on legs leaving a place is divided by 1 + effect x (lookouts there)."},
  KeySpec{"organisations[].operations.retry_interval", number, "days", "0.5", false, 1e-3, kMaxDays, false, "", "Wait before a load with no carrier, path or route capacity tries again (at least 0.001 days, 86 s, so that retries take time)."},
  KeySpec{"organisations[].operations.loading_days", number, "days", "0.1", false, 0.0, kMaxDays, false, "", "Time to load a vessel."},
  KeySpec{"organisations[].recovery", table, "", "", false, -kInf, kInf, false, "", "How the organisation repairs itself."},
  KeySpec{"organisations[].recovery.recruitment_rate", number, "1/day", "0.05", false, 0.0, 1e3, false, "", "Recruits contacted per day per missing member of a cell; 0: none, else at least 1e-6 so that the time to the next contact is finite.", 1e-6},
  KeySpec{"organisations[].recovery.recruitment_delay", number, "days", "7", false, 0.0, kMaxDays, false, "", "Mean time from contact to active member (exponential)."},
  KeySpec{"organisations[].recovery.recruit_cost", number, "USD", "0", false, 0.0, 1e9, false, "", "Cost of one recruit."},
  KeySpec{"organisations[].recovery.replacement_delay", number, "days", "3", false, 0.0, kMaxDays, false, "", "Mean time before an arrested leader or broker is replaced by a tie with the same role (exponential)."},
  KeySpec{"organisations[].recovery.relay_rebuild_delay", number, "days", "60", false, 1e-3, kMaxDays, false, "", "Time to rebuild a destroyed relay (retried after the same time if there is no money, hence at least 0.001 days)."},
  KeySpec{"organisations[].recovery.relay_cost", number, "USD", "0", false, 0.0, 1e10, false, "", "Cost of rebuilding a relay."},
  KeySpec{"organisations[].recovery.vessel_replacement_delay", number, "days", "30", false, 1e-3, kMaxDays, false, "", "Time to buy a vessel to replace a seized one (retried after the same time if there is no money, hence at least 0.001 days)."},
  KeySpec{"organisations[].recovery.vessel_cost", number, "USD", "0", false, 0.0, 1e10, false, "", "Cost of a replacement vessel."},
  KeySpec{"organisations[].command", table, "", "", false, -kInf, kInf, false, "", "Chain of command: what the organisation loses while it has no leader (all arrested and not yet replaced) or, with control_centres, no control centre up. The reports on the 2011 Veracruz takedown state its effect as the loss of the chain of command [FACTS]."},
  KeySpec{"organisations[].command.headless_delay", number, "days", "0", false, 0.0, kMaxDays, false, "", "Frozen decisions: while the organisation has no command, a new load waits Exp(this) at its source before anyone decides to send it (and waits exposed to raids). 0: no wait."},
  KeySpec{"organisations[].command.stale_routes", boolean, "", "false", false, -kInf, kInf, false, "", "Stale routes: while the organisation has no command, nobody re-plans routes: new loads follow the paths planned before, whatever was learned since."},
  KeySpec{"organisations[].command.control_centres", boolean, "", "false", false, -kInf, kInf, false, "", "Command also runs through the radio network: an organisation that had control centres has no command while none is up."},

  KeySpec{"cells", table_array, "", "", false, -kInf, kInf, false, "", "Land groups of an organisation at a place."},
  KeySpec{"cells[].id", string, "", "", true, -kInf, kInf, false, "", "Unique identifier."},
  KeySpec{"cells[].organisation", string, "", "", true, -kInf, kInf, false, "", "Id of the owning organisation."},
  KeySpec{"cells[].place", string, "", "", true, -kInf, kInf, false, "", "Id of the place where the cell operates."},
  KeySpec{"cells[].leaders", integer, "people", "1", false, 0.0, 1e5, false, "", "Leaders: coordinate hand-offs when no broker is left (twice as slowly)."},
  KeySpec{"cells[].brokers", integer, "people", "1", false, 0.0, 1e5, false, "", "Brokers (logistics): coordinate hand-offs."},
  KeySpec{"cells[].transporters", integer, "people", "2", false, 0.0, 1e5, false, "", "Transporters: each carries one load at a time on land legs leaving the place."},
  KeySpec{"cells[].lookouts", integer, "people", "0", false, 0.0, 1e5, false, "", "Lookouts (halcones): lower the detection hazard on legs leaving the place."},
  KeySpec{"cells[].ties", string_array, "", "[]", false, -kInf, kInf, false, "", "Ids of cells this one has social ties with (undirected); replacements and recruits come through them."},

  KeySpec{"social_network", table, "", "", false, -kInf, kInf, false, "", "Cells and ties read from a network file (a published criminal network, say): one cell per node, one tie per tie."},
  KeySpec{"social_network.file", string, "", "", true, -kInf, kInf, false, "", "Network file, relative to the scenario file that names it: edge list CSV, labelled adjacency CSV or GraphML."},
  KeySpec{"social_network.format", string, "", "", false, -kInf, kInf, false, "edgelist|adjacency|graphml", "File format; absent: from the extension and first cell."},
  KeySpec{"social_network.organisation", string, "", "", true, -kInf, kInf, false, "", "Id of the organisation the cells belong to."},
  KeySpec{"social_network.places", string_array, "", "", false, -kInf, kInf, false, "", "Ids of places the cells are spread over, in turn (needed unless every node has a place attribute)."},
  KeySpec{"social_network.nodes", string, "", "", false, -kInf, kInf, false, "", "Node table CSV for edge lists and matrices: first column the node label, then attribute columns (e.g. role, place)."},
  KeySpec{"social_network.role_attribute", string, "", "\"role\"", false, -kInf, kInf, false, "", "Node attribute (GraphML data or node-table column) naming each node's role."},
  KeySpec{"social_network.place_attribute", string, "", "\"place\"", false, -kInf, kInf, false, "", "Node attribute naming each node's place id."},
  KeySpec{"social_network.roles", string, "", "\"by-degree\"", false, -kInf, kInf, false, "by-degree|leader|broker|transporter|lookout", "Role of nodes without a role attribute: by-degree makes the best-connected node the leader, the next `broker_share` of nodes by degree brokers and the rest transporters; or one role for all."},
  KeySpec{"social_network.broker_share", number, "", "0.1", false, 0.0, 1.0, false, "", "With roles = by-degree: share of nodes that are brokers."},
  KeySpec{"social_network.members", integer, "people", "1", false, 1.0, 1e6, false, "", "Members per imported node, all with the node's role."},
  KeySpec{"social_network.id_prefix", string, "", "\"\"", false, -kInf, kInf, false, "", "Prefix of the imported cells' ids (the node label follows)."},

  KeySpec{"vessels", table_array, "", "", false, -kInf, kInf, false, "", "Boats carrying loads on sea legs that start or end at their home port."},
  KeySpec{"vessels[].id", string, "", "", true, -kInf, kInf, false, "", "Unique identifier."},
  KeySpec{"vessels[].organisation", string, "", "", true, -kInf, kInf, false, "", "Id of the owning organisation."},
  KeySpec{"vessels[].type", string, "", "\"go-fast\"", false, -kInf, kInf, false, "go-fast|fishing|semi-submersible", "Kind of boat (descriptive; capacity and speed set its behaviour)."},
  KeySpec{"vessels[].home", string, "", "", true, -kInf, kInf, false, "", "Id of the home port."},
  KeySpec{"vessels[].capacity", number, "kg", "1000", false, 1.0, 1e6, false, "", "Largest load (whole kg); bigger shipments are split, and the pieces count towards the 1e8 loads a run may have."},
  KeySpec{"vessels[].speed", number, "km/h", "0", false, 0.0, 500.0, false, "", "Cruising speed; with the route length it sets the travel time. 0: the route's travel time; else at least 0.1 km/h, so that a leg's time stays finite.", 0.1},
  KeySpec{"vessels[].crew", integer, "people", "3", false, 0.0, 1000.0, false, "", "People aboard, liable to arrest when the load is seized."},

  KeySpec{"relays", table_array, "", "", false, -kInf, kInf, false, "", "Radio infrastructure: control centres, antennas, repeaters."},
  KeySpec{"relays[].id", string, "", "", true, -kInf, kInf, false, "", "Unique identifier."},
  KeySpec{"relays[].organisation", string, "", "", true, -kInf, kInf, false, "", "Id of the owning organisation."},
  KeySpec{"relays[].kind", string, "", "\"antenna\"", false, -kInf, kInf, false, "control-centre|antenna|repeater", "Role in the radio network; places have radio only when linked to an up control centre (if the organisation has one)."},
  KeySpec{"relays[].place", string, "", "", true, -kInf, kInf, false, "", "Id of the place where it stands (always covered)."},
  KeySpec{"relays[].covers", string_array, "", "[]", false, -kInf, kInf, false, "", "Ids of further places it covers."},
  KeySpec{"relays[].radius_km", number, "km", "", false, 0.0, 5000.0, false, "", "Also covers every place with coordinates within this distance (needs coordinates)."},
  KeySpec{"relays[].links", string_array, "", "[]", false, -kInf, kInf, false, "", "Ids of relays it has a radio link with (undirected)."},

  KeySpec{"agencies", table_array, "", "", false, -kInf, kInf, false, "", "Enforcement agencies: budgets and intelligence."},
  KeySpec{"agencies[].id", string, "", "", true, -kInf, kInf, false, "", "Unique identifier."},
  KeySpec{"agencies[].kind", string, "", "\"navy\"", false, -kInf, kInf, false, "navy|police|army", "Kind of agency."},
  KeySpec{"agencies[].budget", number, "USD", "", false, 0.0, 1e13, false, "", "Money for patrols and interventions; absent means unlimited. Patrols stop when it runs out."},
  KeySpec{"agencies[].sharing_delay", number, "days", "7", false, 0.0, kMaxDays, false, "", "Delay before intercepted information becomes actionable by this agency."},
  KeySpec{"agencies[].intel_lifetime", number, "days", "30", false, 0.0, kMaxDays, false, "", "How long an item of intelligence stays actionable."},
  KeySpec{"agencies[].intel_boost", number, "", "2", false, 0.0, 1e3, false, "", "With actionable intelligence on a route, the agency's patrols there detect as if exposure were (1 + boost) times higher."},
  KeySpec{"agencies[].raid_rate", number, "1/day", "0", false, 0.0, 1e3, false, "", "Raids on stashes: while an organisation has loads waiting at a place (for a carrier, for coordination, or to try again), the agency raids it at this rate, multiplied by 1 + intel_boost while a cell of the organisation there is in its actionable picture. A raid seizes every load waiting there. 0: no raids, else at least 1e-6 so that the time to the next raid is finite.", 1e-6},
  KeySpec{"agencies[].raid_arrests", integer, "people", "1", false, 0.0, 1e6, false, "", "Members arrested in each raid, among the organisation's cells at the place (who are also put in enforcement's picture)."},

  KeySpec{"patrols", table_array, "", "", false, -kInf, kInf, false, "", "Enforcement assets watching routes."},
  KeySpec{"patrols[].id", string, "", "", true, -kInf, kInf, false, "", "Unique identifier; names the patrol's random stream."},
  KeySpec{"patrols[].route", string, "", "", true, -kInf, kInf, false, "", "Id of the route watched."},
  KeySpec{"patrols[].detection_probability", number, "", "0", false, 0.0, 1.0, false, "", "Probability that a load setting off on the route while the patrol is active is detected (at exposure 1)."},
  KeySpec{"patrols[].intensity", number, "1/day", "0", false, 0.0, 1e3, false, "", "Detection hazard per day a load spends on the route (at exposure 1)."},
  KeySpec{"patrols[].agency", string, "", "", false, -kInf, kInf, false, "", "Id of the agency running the patrol (budget, intelligence)."},
  KeySpec{"patrols[].cost_per_day", number, "USD", "0", false, 0.0, 1e9, false, "", "Daily cost while active, charged to the agency."},
  KeySpec{"patrols[].arrest_probability", number, "", "0.5", false, 0.0, 1.0, false, "", "Probability that each crew member or the transporter of a seized load is arrested."},
  KeySpec{"patrols[].vessel_seizure_probability", number, "", "1", false, 0.0, 1.0, false, "", "Probability that the vessel of a seized load is seized too."},
  KeySpec{"patrols[].start", number, "days", "0", false, 0.0, kMaxDays, false, "", "Time the patrol starts."},
  KeySpec{"patrols[].end", number, "days", "", false, 0.0, kMaxDays, false, "", "Time the patrol stops; absent means it never stops."},

  KeySpec{"bribes", table_array, "", "", false, -kInf, kInf, false, "", "Corrupted officials an organisation pays (NarcoLogic pays bribes at nodes to lower interdiction; six municipal police were among the 80 arrested in Veracruz in 2011 [FACTS]). Each is on a route (officials look away) or at a place (police warn the cells)."},
  KeySpec{"bribes[].id", string, "", "", true, -kInf, kInf, false, "", "Unique identifier, used by purge interventions."},
  KeySpec{"bribes[].organisation", string, "", "", true, -kInf, kInf, false, "", "Id of the organisation that pays."},
  KeySpec{"bribes[].route", string, "", "", false, -kInf, kInf, false, "", "Id of a route whose officials look away: every patrol's detection of the organisation's loads there is multiplied by 1 - effect. Give route or place."},
  KeySpec{"bribes[].place", string, "", "", false, -kInf, kInf, false, "", "Id of a place whose police warn the organisation's cells: a raid on its stash there is called off with probability effect. Give route or place."},
  KeySpec{"bribes[].effect", number, "", "0.5", false, 0.0, 1.0, false, "", "How much the officials help: the share of detection they remove on a route, the probability they call off a raid at a place (an assumption; vary it)."},
  KeySpec{"bribes[].cost_per_day", number, "USD", "0", false, 0.0, 1e9, false, "", "Paid every day from the organisation's capital under its credit limit; a day it cannot pay, the officials do not help."},
  KeySpec{"bribes[].replace_days", number, "days", "30", false, 1e-3, kMaxDays, false, "", "Mean time (exponential) before the organisation corrupts new officials after a purge removed these."},
  KeySpec{"bribes[].start", number, "days", "0", false, 0.0, kMaxDays, false, "", "Time the officials start helping."},

  KeySpec{"intelligence", table, "", "", false, -kInf, kInf, false, "", "What enforcement can learn about the cells and their ties (docs/strategies.md)."},
  KeySpec{"intelligence.oracle", boolean, "", "false", false, -kInf, kInf, false, "", "Enforcement knows the true network at once: the upper bound for comparison."},
  KeySpec{"intelligence.reveal_probability", number, "", "0.3", false, 0.0, 1.0, false, "", "Probability that an arrested or seized crew reveals each tie of its cell (and who is at its other end)."},
  KeySpec{"intelligence.leak_locates", number, "", "1", false, 0.0, 1.0, false, "", "Probability that an intercepted coordination call locates the cells at both ends of the leg (and a tie between them)."},
  KeySpec{"intelligence.social_media", boolean, "", "false", false, -kInf, kInf, false, "", "Social-media monitoring is on at the start."},
  KeySpec{"intelligence.social_media_rate", number, "1/day", "0.01", false, 0.0, 1e3, false, "", "Per cell and day while monitoring is on: geo-tagged posts that locate an operating cell. 0: none, else at least 1e-6 so that the time to the next post is finite.", 1e-6},
  KeySpec{"intelligence.recruit_exposure", number, "", "0.5", false, 0.0, 1.0, false, "", "While monitoring is on, probability that a recruit's online tracks locate the cell."},
  KeySpec{"intelligence.radio_interception", boolean, "", "false", false, -kInf, kInf, false, "", "Radio interception is on at the start."},
  KeySpec{"intelligence.radio_interception_probability", number, "", "0.05", false, 0.0, 1.0, false, "", "While interception is on, probability that a radio hand-off is intercepted (like a leaked fallback call)."},
  KeySpec{"intelligence.informant_rate", number, "1/day", "0", false, 0.0, 1e3, false, "", "Informant reports per day: a random operating cell and all its ties. 0: none, else at least 1e-6 so that the time to the next report is finite.", 1e-6},
  KeySpec{"intelligence.lifetime", number, "days", "180", false, 0.0, kMaxDays, true, "", "How long an item stays in the picture unless learned again."},

  KeySpec{"interventions", table_array, "", "", false, -kInf, kInf, false, "", "Enforcement actions: a trigger (at, every, when or after) and an action."},
  KeySpec{"interventions[].id", string, "", "", true, -kInf, kInf, false, "", "Unique identifier, shown in the intervention log."},
  KeySpec{"interventions[].at", number, "days", "", false, 0.0, kMaxDays, false, "", "Trigger: once, at this time."},
  KeySpec{"interventions[].every", number, "days", "", false, 1e-3, kMaxDays, false, "", "Trigger: repeatedly at this interval (at least 0.001 days, 86 s), from `start`. The interventions of a run may fire at most 100,000 times (`at`, `every` and the `after` that follow them)."},
  KeySpec{"interventions[].start", number, "days", "0", false, 0.0, kMaxDays, false, "", "With `every`: the first firing."},
  KeySpec{"interventions[].until", number, "days", "", false, 0.0, kMaxDays, false, "", "With `every`: no firing after this time."},
  KeySpec{"interventions[].when", table, "", "", false, -kInf, kInf, false, "", "Trigger: when a sampled metric crosses a threshold (checked at every sample; fires each time the condition starts to hold)."},
  KeySpec{"interventions[].when.metric", string, "", "", true, -kInf, kInf, false, "", "Name of a time-series metric (docs/output-format.md), e.g. seized_kg or relays_up."},
  KeySpec{"interventions[].when.above", number, "", "", false, -kInf, kInf, false, "", "Fires when the metric rises above this value."},
  KeySpec{"interventions[].when.below", number, "", "", false, -kInf, kInf, false, "", "Fires when the metric falls below this value."},
  KeySpec{"interventions[].after", string, "", "", false, -kInf, kInf, false, "", "Trigger: after each firing of the intervention with this id."},
  KeySpec{"interventions[].delay", number, "days", "0", false, 0.0, kMaxDays, false, "", "With `after`: time between that firing and this one."},
  KeySpec{"interventions[].action", string, "", "\"dismantle\"", false, -kInf, kInf, false, "dismantle|arrest|patrol|sharing|monitoring|purge", "What is done (docs/strategies.md)."},
  KeySpec{"interventions[].relays", string_array, "", "[]", false, -kInf, kInf, false, "", "dismantle: ids of relays destroyed."},
  KeySpec{"interventions[].cells", string_array, "", "[]", false, -kInf, kInf, false, "", "dismantle: ids of cells whose members are all arrested; arrest: the cells to arrest in, in order."},
  KeySpec{"interventions[].vessels", string_array, "", "[]", false, -kInf, kInf, false, "", "dismantle: ids of vessels seized."},
  KeySpec{"interventions[].target", string, "", "", false, -kInf, kInf, false, "relays|cells|vessels", "dismantle: select targets of this kind by `kind`, `region`, `strategy` and `count` instead of listing them."},
  KeySpec{"interventions[].kind", string, "", "", false, -kInf, kInf, false, "", "Selection: relay kind (control-centre, antenna, repeater), vessel type, or for cells a role some member has."},
  KeySpec{"interventions[].region", string, "", "", false, -kInf, kInf, false, "", "Selection: only targets at places of this region."},
  KeySpec{"interventions[].strategy", string, "", "", false, -kInf, kInf, false, "random|degree|betweenness|closeness|eigenvector|katz|key-player", "Selection: rank candidate cells (or relays, on their link network) by this strategy, highest first; absent: scenario order."},
  KeySpec{"interventions[].recompute", boolean, "", "false", false, -kInf, kInf, false, "", "Selection: rank again after every removal (key-player always does: it is greedy)."},
  KeySpec{"interventions[].network", string, "", "\"known\"", false, -kInf, kInf, false, "known|true", "Selection of cells: on the network enforcement knows (actionable after the agency's sharing delay) or the true one."},
  KeySpec{"interventions[].count", integer, "", "", false, 0.0, 1e9, false, "", "Selection: at most this many targets (cells for arrest); absent: all that qualify."},
  KeySpec{"interventions[].arrests", integer, "people", "0", false, 0.0, 1e6, false, "", "dismantle: further members arrested among the users of the targets (members of the hit cells and of cells the hit relays cover; all cells if nothing is hit); arrest: people arrested."},
  KeySpec{"interventions[].role", string, "", "", false, -kInf, kInf, false, "leader|broker|transporter|lookout", "arrest: only members with this role (absent: brokers first, then leaders, transporters, lookouts)."},
  KeySpec{"interventions[].patrol", string, "", "", false, -kInf, kInf, false, "", "patrol: id of the patrol changed."},
  KeySpec{"interventions[].route", string, "", "", false, -kInf, kInf, false, "", "patrol: move the patrol to this route."},
  KeySpec{"interventions[].reallocate", boolean, "", "false", false, -kInf, kInf, false, "", "patrol: move it to the route with the most seizures so far (the flows enforcement observes)."},
  KeySpec{"interventions[].intensity", number, "1/day", "", false, 0.0, 1e3, false, "", "patrol: new detection hazard."},
  KeySpec{"interventions[].detection_probability", number, "", "", false, 0.0, 1.0, false, "", "patrol: new per-passage detection probability."},
  KeySpec{"interventions[].scale", number, "", "1", false, 0.0, 1e3, false, "", "patrol: multiplies its intensity and detection probability (after any new value)."},
  KeySpec{"interventions[].sharing_delay", number, "days", "", false, 0.0, kMaxDays, false, "", "sharing: the new sharing delay of `agency` (of every agency without one)."},
  KeySpec{"interventions[].social_media", boolean, "", "", false, -kInf, kInf, false, "", "monitoring: switch social-media monitoring on or off."},
  KeySpec{"interventions[].radio_interception", boolean, "", "", false, -kInf, kInf, false, "", "monitoring: switch radio interception on or off."},
  KeySpec{"interventions[].bribes", string_array, "", "[]", false, -kInf, kInf, false, "", "purge: ids of the bribes whose officials are removed; empty: every bribe."},
  KeySpec{"interventions[].agency", string, "", "", false, -kInf, kInf, false, "", "Id of the agency that acts and pays: its budget caps the cost, its sharing delay decides what it knows."},
  KeySpec{"interventions[].cost", number, "USD", "0", false, 0.0, 1e13, false, "", "Cost of each firing, charged to the agency; not fired if the budget cannot cover it."},
  KeySpec{"interventions[].cost_per_arrest", number, "USD", "0", false, 0.0, 1e13, false, "", "Cost of each arrest; arrests stop when the agency's budget runs out."},
};
// clang-format on

// clang-format off
constexpr std::array kStudyKeys{
  KeySpec{"study", table, "", "", true, -kInf, kInf, false, "", "What the study runs."},
  KeySpec{"study.name", string, "", "", false, -kInf, kInf, false, "", "Short name; defaults to the file name without extension."},
  KeySpec{"study.description", string, "", "\"\"", false, -kInf, kInf, false, "", "Free text."},
  KeySpec{"study.scenario", string, "", "", false, -kInf, kInf, false, "", "Path of the base scenario, relative to the study file (required unless every variant names its own scenario)."},
  KeySpec{"study.replicates", integer, "", "1", false, 1.0, 1e6, false, "", "Replicates of every parameter combination. A study may plan at most 1,000,000 runs (variants x parameter points x replicates)."},
  KeySpec{"study.seed", integer, "", "1", false, 0.0, 9.2e18, false, "", "Seed of the study's runs (replaces simulation.seed)."},
  KeySpec{"study.set", any_table, "", "{}", false, -kInf, kInf, false, "", "Scenario keys overridden in every run of the study, before each variant's own set, e.g. { \"output.series\" = [\"delivered_kg\", \"seized_kg\"] }."},
  KeySpec{"study.random_numbers", string, "", "\"common\"", false, -kInf, kInf, false, "common|independent", "common: replicate r uses the same random streams in every variant and parameter combination, so differences come from the change, not from noise; independent: every run has its own streams."},
  KeySpec{"variants", table_array, "", "", false, -kInf, kInf, false, "", "Named variants; without any, one variant \"base\" runs the scenario as it is."},
  KeySpec{"variants[].name", string, "", "", true, -kInf, kInf, false, "", "Unique name, stored with every run."},
  KeySpec{"variants[].scenario", string, "", "", false, -kInf, kInf, false, "", "Path of a scenario file (relative to the study file) this variant runs instead of the study's scenario, e.g. one of scenarios/strategies/; its `set` and the study's apply on top."},
  KeySpec{"variants[].set", any_table, "", "{}", false, -kInf, kInf, false, "", "Scenario keys overridden in this variant: quoted key paths and TOML values, e.g. { \"interventions\" = [] }."},
  KeySpec{"grid", any_table, "", "{}", false, -kInf, kInf, false, "", "Full-factorial grid: each scenario key path maps to a list of values; every combination runs (with every variant)."},
  KeySpec{"lockstep", any_table, "", "{}", false, -kInf, kInf, false, "", "Lists of equal length varied together: the i-th values of all keys form one combination."},
  KeySpec{"sample", table, "", "", false, -kInf, kInf, false, "", "Latin hypercube sample over ranges of numeric keys."},
  KeySpec{"sample.points", integer, "", "10", false, 1.0, 1e6, false, "", "Number of points; each range is cut into this many strata, each used once."},
  KeySpec{"sample.seed", integer, "", "1", false, 0.0, 9.2e18, false, "", "Seed of the sample (the design, not the runs)."},
  KeySpec{"sample.ranges", any_table, "", "{}", false, -kInf, kInf, false, "", "Scenario key paths mapped to [low, high]."},
  KeySpec{"morris", table, "", "", false, -kInf, kInf, false, "", "Morris (1991) elementary-effects design for screening: trajectories of k + 1 points (k keys in ranges), each step moving one key by levels / (2 (levels - 1)) of its range, keys in random order. Stands alone (no [grid], [lockstep], [sample] or [sobol]); variants and replicates apply to every point. Each run records its trajectory and step (docs/sensitivity.md)."},
  KeySpec{"morris.trajectories", integer, "", "10", false, 1.0, 1e5, false, "", "Trajectories r: the design has r (k + 1) points."},
  KeySpec{"morris.levels", integer, "", "4", false, 2.0, 100.0, false, "", "Levels of the grid each key's range is cut into; even."},
  KeySpec{"morris.seed", integer, "", "1", false, 0.0, 9.2e18, false, "", "Seed of the design (starting points, directions and order of the steps), not of the runs."},
  KeySpec{"morris.ranges", any_table, "", "{}", false, -kInf, kInf, false, "", "Number keys (scenario key paths) mapped to [low, high], or [low, high, \"log\"] to spread the levels evenly in the logarithm; inside each key's valid range."},
  KeySpec{"sobol", table, "", "", false, -kInf, kInf, false, "", "Saltelli (2010) design for first- and total-order Sobol indices: base_points rows of matrices A and B (a Sobol sequence in 2k dimensions, randomly digit-shifted) and, for each of the k keys, AB_i (A with key i from B): base_points (k + 2) points. Stands alone like [morris]. Each run records its row and role (docs/sensitivity.md)."},
  KeySpec{"sobol.base_points", integer, "", "64", false, 1.0, 1e6, false, "", "Base rows N; a power of two keeps the Sobol sequence balanced."},
  KeySpec{"sobol.seed", integer, "", "1", false, 0.0, 9.2e18, false, "", "Seed of the design's digital shift, not of the runs."},
  KeySpec{"sobol.ranges", any_table, "", "{}", false, -kInf, kInf, false, "", "Number keys mapped to [low, high] or [low, high, \"log\"], as in morris.ranges."},
};
// clang-format on

std::string format_number(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  std::ostringstream out;
  out << x;
  return out.str();
}

}  // namespace

std::span<const KeySpec> scenario_keys() {
  return kKeys;
}

std::span<const KeySpec> study_keys() {
  return kStudyKeys;
}

const KeySpec* find_key(std::string_view pattern, std::span<const KeySpec> keys) {
  const auto it =
      std::find_if(keys.begin(), keys.end(), [&](const KeySpec& k) { return k.path == pattern; });
  return it == keys.end() ? nullptr : &*it;
}

std::string key_pattern(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    out += path[i];
    if (path[i] == '[') {
      while (i + 1 < path.size() && path[i + 1] != ']')
        ++i;
    }
  }
  return out;
}

std::string_view type_name(KeyType type) {
  switch (type) {
    case table:
      return "table";
    case table_array:
      return "array of tables";
    case number:
      return "number";
    case integer:
      return "integer";
    case string:
      return "string";
    case string_array:
      return "array of strings";
    case any_table:
      return "table";
    case boolean:
      return "boolean";
  }
  return "?";
}

std::string describe_range(const KeySpec& key) {
  std::ostringstream out;
  if (!key.choices.empty()) {
    for (char c : key.choices) {
      if (c == '|') {
        out << " | ";
      } else {
        out << c;
      }
    }
    return out.str();
  }
  if (key.type != number && key.type != integer) return "";
  if (std::isinf(key.min) && std::isinf(key.max)) return "";
  if (key.least_positive > 0.0) {
    out << format_number(key.min) << " or [" << format_number(key.least_positive) << ", "
        << format_number(key.max) << ']';
    return out.str();
  }
  out << (key.min_exclusive ? '(' : '[') << format_number(key.min) << ", " << format_number(key.max)
      << (std::isinf(key.max) ? ')' : ']');
  return out.str();
}

namespace {

/// Text for a Markdown table cell: a `|` would end the cell (choices read "land | sea | air").
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

void markdown_table(std::ostringstream& out, std::span<const KeySpec> keys) {
  out << "| key | type | unit | default | valid values | description |\n"
         "|---|---|---|---|---|---|\n";
  for (const KeySpec& k : keys) {
    out << "| `" << k.path << "` | " << type_name(k.type) << " | " << cell(k.unit) << " | ";
    if (k.required) {
      out << "required";
    } else if (!k.default_value.empty()) {
      out << '`' << cell(k.default_value) << '`';
    }
    out << " | " << cell(describe_range(k)) << " | " << cell(k.description) << " |\n";
  }
}

}  // namespace

std::string keys_markdown() {
  std::ostringstream out;
  out << "# Scenario reference\n\n"
         "Every key a scenario file may contain. Generated from the key table in\n"
         "`sim/scenario/ScenarioKeys.cpp` by `interdict keys --markdown`; a test keeps this file\n"
         "in step with the code. Keys written `routes[].x` belong to each `[[routes]]` entry.\n\n";
  markdown_table(out, kKeys);
  out << "\n## Study files\n\n"
         "A study file (`interdict plan`, `interdict sweep`) names a base scenario and what "
         "varies.\n"
         "Keys in `set`, `grid`, `lockstep`, `sample.ranges`, `morris.ranges` and `sobol.ranges`\n"
         "are scenario key paths as above, quoted, e.g. `\"routes[0].exposure\" = [0.5, 1, "
         "2]`.\n\n";
  markdown_table(out, kStudyKeys);
  out << "\n## Calibration files\n\n"
         "A calibration file (`interdict calibrate`, docs/calibration.md) names a scenario (or a "
         "study's variant),\n"
         "the free parameters with their priors, and the observed statistics to match.\n\n";
  markdown_table(out, calibration_keys());
  return out.str();
}

namespace {

void text_list(std::ostringstream& out, std::span<const KeySpec> keys) {
  for (const KeySpec& k : keys) {
    out << k.path << "  (" << type_name(k.type);
    if (!k.unit.empty()) out << ", " << k.unit;
    if (k.required) out << ", required";
    if (!k.default_value.empty()) out << ", default " << k.default_value;
    const std::string range = describe_range(k);
    if (!range.empty()) out << ", " << range;
    out << ")\n    " << k.description << "\n";
  }
}

}  // namespace

std::string keys_text() {
  std::ostringstream out;
  out << "Scenario files\n\n";
  text_list(out, kKeys);
  out << "\nStudy files (interdict plan, sweep)\n\n";
  text_list(out, kStudyKeys);
  out << "\nCalibration files (interdict calibrate)\n\n";
  text_list(out, calibration_keys());
  return out.str();
}

}  // namespace interdict::scenario
