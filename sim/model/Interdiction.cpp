// Interdiction: hazards, intelligence windows and the daily enforcement budget.
#include "model/Interdiction.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <cmath>

namespace interdict::model {

Interdiction::Interdiction(ModelContext& context, Recovery& recovery, const Corruption& corruption)
    : ctx_(context),
      recovery_(recovery),
      corruption_(corruption),
      arrests_rng_(context.streams, "interdiction/arrests"),
      vessel_seizure_rng_(context.streams, "interdiction/vessel-seizure") {
  ctx_.signals.seizure.connect([this](CarrierKind carrier, std::size_t index, std::size_t patrol) {
    after_seizure(carrier, index, patrol);
  });
  ctx_.signals.call_intercepted.connect(
      [this](std::size_t route, std::size_t) { intercepted(route); });
  for (const PatrolSpec& patrol : ctx_.spec().patrols)
    detection_rng_.push_back(ctx_.streams.stream("detection/" + patrol.id));
  account_ = ctx_.sim.add_handler<&Interdiction::on_account>("enforcement_account", *this);
  bool costs = false;
  for (const PatrolSpec& patrol : ctx_.spec().patrols)
    costs |= patrol.cost_per_day > 0.0;
  if (costs) ctx_.sim.schedule(SimTime::zero(), account_, 0, 0, Priority::first);
}

bool Interdiction::patrol_active(std::size_t patrol, double t) const {
  const PatrolSpec& p = ctx_.spec().patrols[patrol];
  if (t < p.start_day || t >= p.end_day) return false;
  return p.agency == kNone || ctx_.world.agencies[p.agency].active;
}

std::optional<Detection> Interdiction::detect(std::size_t route, double travel_days,
                                              std::size_t organisation, std::size_t origin_place) {
  const World& w = ctx_.world;
  const double now = ctx_.now();
  double shield = 1.0;
  if (organisation != kNone) {
    int lookouts = 0;
    for (std::size_t c : w.organisations[organisation].cells_at[origin_place])
      lookouts += w.cells[c].members[static_cast<std::size_t>(Role::lookout)];
    shield = 1.0 + ctx_.spec().organisations[organisation].lookout_effect * lookouts;
  }
  double base = ctx_.spec().routes[route].exposure / shield;
  if (organisation != kNone) {  // officials paid to look away
    const double factor = corruption_.detection_factor(organisation, route);
    if (factor != 1.0) base *= factor;
  }
  boost::random::uniform_01<double> uniform;
  std::optional<Detection> first;
  for (std::size_t j : w.patrols_on_route[route]) {
    if (!patrol_active(j, now)) continue;
    const PatrolSpec& patrol = ctx_.spec().patrols[j];
    const PatrolRuntime& deployed = w.patrols[j];
    double m = base;
    if (patrol.agency != kNone) {
      const IntelWindow& intel = w.agencies[patrol.agency].intel[route];
      if (intel.from <= now && now < intel.until)
        m *= 1.0 + ctx_.spec().agencies[patrol.agency].intel_boost;
    }
    RandomEngine& rng = detection_rng_[j];
    if (deployed.detection_probability > 0.0) {
      const double p = 1.0 - std::pow(1.0 - deployed.detection_probability, m);
      if (uniform(rng) < p) {
        const double at = uniform(rng) * travel_days;
        if (!first || at < first->after_days) first = Detection{at, j};
      }
    }
    if (deployed.intensity > 0.0 && m > 0.0) {
      const double at =
          boost::random::exponential_distribution<double>(deployed.intensity * m)(rng);
      if (at < travel_days && (!first || at < first->after_days)) first = Detection{at, j};
    }
  }
  return first;
}

void Interdiction::intercepted(std::size_t route) {
  const double now = ctx_.now();
  ++ctx_.world.totals.leaks;
  for (std::size_t a = 0; a < ctx_.world.agencies.size(); ++a) {
    const AgencySpec& agency = ctx_.spec().agencies[a];
    IntelWindow& intel = ctx_.world.agencies[a].intel[route];
    const double from = now + ctx_.world.agencies[a].sharing_delay;
    const double until = from + agency.intel_lifetime;
    if (intel.until < from) {
      intel = IntelWindow{from, until};  // the old item has lapsed (or never was)
    } else {
      intel.until = std::max(intel.until, until);
    }
  }
}

void Interdiction::after_seizure(CarrierKind carrier, std::size_t index, std::size_t patrol) {
  const PatrolSpec& p = ctx_.spec().patrols[patrol];
  boost::random::uniform_01<double> uniform;
  ++ctx_.world.route_seizures[ctx_.world.patrols[patrol].route];
  if (carrier == CarrierKind::vessel) {
    for (int i = 0; i < ctx_.spec().vessels[index].crew; ++i)
      if (uniform(arrests_rng_) < p.arrest_probability) ++ctx_.world.totals.arrests;
    if (uniform(vessel_seizure_rng_) < p.vessel_seizure_probability) recovery_.vessel_seized(index);
  } else if (carrier == CarrierKind::cell) {
    constexpr auto transporter = static_cast<std::size_t>(Role::transporter);
    if (ctx_.world.cells[index].members[transporter] > 0 &&
        uniform(arrests_rng_) < p.arrest_probability)
      recovery_.arrest(index, Role::transporter);
  }
}

void Interdiction::on_account(Simulation& sim, const Event& event) {
  // Charges each agency for the patrols active today; an agency that cannot pay stops.
  const double today = sim.now().in_days();
  for (std::size_t a = 0; a < ctx_.world.agencies.size(); ++a) {
    AgencyRuntime& agency = ctx_.world.agencies[a];
    if (!agency.active) continue;
    double cost = 0.0;
    for (std::size_t j = 0; j < ctx_.spec().patrols.size(); ++j)
      if (ctx_.spec().patrols[j].agency == a && patrol_active(j, today))
        cost += ctx_.spec().patrols[j].cost_per_day;
    if (agency.spent + cost > ctx_.spec().agencies[a].budget) {
      agency.active = false;
      continue;
    }
    agency.spent += cost;
    ctx_.world.totals.enforcement_spent += cost;
  }
  // Patrols without an agency have no budget; their cost is counted but never refused.
  for (const PatrolSpec& p : ctx_.spec().patrols)
    if (p.agency == kNone && today >= p.start_day && today < p.end_day)
      ctx_.world.totals.enforcement_spent += p.cost_per_day;
  const std::uint64_t next = event.payload + 1;
  if (static_cast<double>(next) <= ctx_.spec().duration_days)
    sim.schedule(SimTime::days(static_cast<double>(next)), account_, 0, next, Priority::first);
}

std::span<const Metric<Interdiction>> Interdiction::series() {
  static const Metric<Interdiction> kSeries[] = {
      {{"enforcement_spent_usd", "USD",
        "cumulative enforcement spending on patrols and interventions"},
       [](Interdiction& m) { return m.ctx_.world.totals.enforcement_spent; }},
  };
  return kSeries;
}

std::span<const Metric<Interdiction>> Interdiction::summary() {
  static const Metric<Interdiction> kSummary[] = {
      {{"enforcement_spent_usd", "USD", "enforcement spending over the run"},
       [](Interdiction& m) { return m.ctx_.world.totals.enforcement_spent; }},
  };
  return kSummary;
}

}  // namespace interdict::model
