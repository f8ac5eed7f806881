// Transport: production of shipments and their journey, leg by leg, to the market.
#pragma once

#include <memory>
#include <tuple>
#include <vector>

#include "model/Channels.hpp"
#include "model/Command.hpp"
#include "model/Interdiction.hpp"
#include "model/Market.hpp"
#include "model/Metrics.hpp"
#include "model/ModelContext.hpp"
#include "model/RoutePlanner.hpp"

namespace interdict::model {

/// Mechanisms 1, 3 and 7: production, transport with hand-offs, and the money they move.
///  - Production: each source emits shipments as a Poisson process (rate λ); sizes are
///    lognormal, rounded to whole kg; the organisation pays buy_price × kg.
///  - Journey: a shipment of an organisation follows the path chosen by the RoutePlanner.
///    Before each leg a carrier is found: for a sea leg an idle vessel based at either end
///    (one based at the far end first sails over empty), which loads for loading_days and
///    carries at most its capacity (the rest is split off and waits); for a land or air leg a
///    cell at the origin with a free transporter. No carrier: the load joins a first-come,
///    first-served queue at the place and is woken when a transporter is freed, a member joins
///    or is promoted there, or a vessel becomes idle at either end of its sea leg. No path or
///    no room on the route: wait retry_interval and look again. A vessel that has brought a
///    load waits at the landing place until the next carrier sets off, then sails home.
///  - Hand-off coordination over the first coordination channel (Channels.hpp) the organisation
///    has at the place: radio (delay Exp(radio_delay)) if the place has radio for it
///    (CommunicationNetwork), else fallback channels: with probability fallback_failure the
///    attempt fails and is retried after coordination_timeout, otherwise it takes
///    Exp(fallback_delay) and with probability fallback_leak is intercepted. A receiving cell
///    needs a broker, or a leader (twice as slow); with neither it cannot coordinate.
///  - Economics: handoff_cost per hand-off, cost_per_kg_km per leg, and at delivery the sale
///    value (price × kg) less bribe_fraction of it goes to the organisation's capital.
/// Shipments of sources without an organisation move on their own, by the fastest path, with
/// no carriers or coordination.
class Transport {
 public:
  /// Prices; who decides that loads move; paths; detection on a leg.
  using Needs = std::tuple<Market, Command, RoutePlanner, Interdiction>;
  Transport(ModelContext& context, Market& market, Command& command, RoutePlanner& planner,
            Interdiction& interdiction);

  /// Seizes a load wherever it is (intervention `seizer` caught its vessel; or a raid).
  void seize_now(std::uint32_t shipment, SeizedBy by, std::size_t seizer);
  /// Seizes a load waiting at a place (a raid by `agency`); a carrier it had lined up is let go.
  void seize_at_place(std::uint32_t shipment, std::size_t agency);

  /// Flows, shipments, money, vessels and coordination, sampled every interval.
  static std::span<const Metric<Transport>> series();
  /// Their values at the end of the run.
  static std::span<const Metric<Transport>> summary();

 private:
  void on_produce(Simulation& sim, const Event& event);
  void on_advance(Simulation& sim, const Event& event);
  void on_depart(Simulation& sim, const Event& event);
  void on_arrive(Simulation& sim, const Event& event);
  void on_seize(Simulation& sim, const Event& event);
  void on_vessel_home(Simulation& sim, const Event& event);
  void on_carrier_freed(Simulation& sim, const Event& event);
  void queue_for_carrier(std::uint32_t id, std::size_t route);
  void free_transporter(std::size_t cell);
  void vessel_idle(std::uint32_t vessel);

  void advance(std::uint32_t id);
  /// Frees the route a traversal used and lets the organisation learn from it; returns it.
  std::size_t end_leg(const Shipment& s, bool seized);
  void deliver(std::uint32_t id);
  void wait(std::uint32_t id, double days);
  void release_reserved_carrier(Shipment& s);
  void release_vessel(std::uint32_t vessel, std::size_t here, std::size_t route);
  void finish_handoff(Shipment& s, std::size_t here);
  bool find_carrier(std::uint32_t id, std::size_t route, double& extra_days);
  double coordinate(std::uint32_t id, std::size_t route, bool& failed);
  /// A traversal time of `route` for the given carrier (a vessel's speed may set it).
  double travel_days(std::size_t route, CarrierKind carrier, std::uint32_t carrier_index);
  std::size_t organisation_of(const Shipment& s) const {
    return ctx_.spec().sources[s.source].organisation;
  }

  /// The rate of candidate productions of source s: its rate, times the largest price ratio
  /// to the power of its supply elasticity when it answers its market's price (thinning).
  double candidate_rate(std::size_t s) const;
  /// Whether a candidate production of source s goes ahead at its market's price now.
  bool produces(std::size_t s);

  ModelContext& ctx_;
  Market& market_;
  Command& command_;
  RoutePlanner& planner_;
  Interdiction& interdiction_;
  std::vector<RandomEngine> arrival_rng_;  // per source
  std::vector<RandomEngine> size_rng_;     // per source
  std::vector<LazyStream> supply_rng_;     // per source: thinning by price
  /// The travel-time stream of a route, made on first use (large networks have many routes
  /// that are never travelled; a stream depends only on its name, so laziness changes no draw).
  RandomEngine& travel_rng(std::size_t route);

  /// Fraction of active cells whose place has radio to a control centre, recomputed only when
  /// the radio network or the active cells changed.
  double radio_coverage();
  double capital() const;

  std::vector<std::unique_ptr<RandomEngine>> travel_rng_;       // per route
  std::vector<std::unique_ptr<CoordinationChannel>> channels_;  // asked in order
  HandlerId produce_{}, advance_{}, depart_{}, arrive_{}, seize_{}, vessel_home_{}, wake_{};
  std::uint64_t coverage_version_ = UINT64_MAX;
  double coverage_ = 0.0;
};

}  // namespace interdict::model
