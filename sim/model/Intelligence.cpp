// Intelligence: learning, decay and the actionable picture.
#include "model/Intelligence.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <variant>

#include "model/NetworkMeasures.hpp"

namespace interdict::model {

namespace {

graph::Graph build_cell_graph(const ModelSpec& spec, std::vector<graph::Tie>& ties) {
  for (std::size_t c = 0; c < spec.cells.size(); ++c)
    for (std::size_t t : spec.cells[c].ties)
      if (c < t) ties.push_back({c, t, 1.0});
  return graph::Graph(spec.cells.size(), ties, false);
}

/// The longest sharing delay of any agency, at the start or after a sharing intervention.
double longest_delay(const ModelSpec& spec) {
  double longest = 0.0;
  for (const AgencySpec& a : spec.agencies)
    longest = std::max(longest, a.sharing_delay);
  for (const InterventionSpec& i : spec.interventions)
    if (const auto* sharing = std::get_if<SharingAction>(&i.action))
      longest = std::max(longest, sharing->sharing_delay);
  return longest;
}

}  // namespace

Intelligence::Intelligence(ModelContext& context)
    : ctx_(context),
      spec_(context.spec().intelligence),
      ties_(),
      cells_(build_cell_graph(context.spec(), ties_)),
      ties_of_(context.spec().cells.size()),
      max_delay_(longest_delay(context.spec())),
      cell_known_(context.spec().cells.size()),
      tie_known_(ties_.size()),
      social_media_(spec_.social_media),
      radio_interception_(spec_.radio_interception),
      seizure_reveal_rng_(context.streams, "intelligence/seizure-reveal"),
      intervention_reveal_rng_(context.streams, "intelligence/intervention-reveal"),
      raid_reveal_rng_(context.streams, "intelligence/raid-reveal"),
      leak_location_rng_(context.streams, "intelligence/leak-location"),
      interception_rng_(context.streams, "intelligence/radio-interception"),
      posts_rng_(context.streams, "intelligence/posts"),
      exposure_rng_(context.streams, "intelligence/recruit-exposure"),
      informant_rng_(context.streams, "intelligence/informants") {
  for (std::size_t k = 0; k < ties_.size(); ++k) {
    ties_of_[ties_[k].from].push_back(k);
    ties_of_[ties_[k].to].push_back(k);
  }
  ModelSignals& signals = ctx_.signals;
  signals.seizure.connect(
      [this](CarrierKind carrier, std::size_t index, std::size_t) { seized_crew(carrier, index); });
  signals.call_intercepted.connect(
      [this](std::size_t route, std::size_t organisation) { intercepted(route, organisation); });
  signals.handoff.connect(
      [this](std::size_t route, std::size_t organisation, std::string_view channel) {
        if (channel == "radio" && radio_handoff())
          ctx_.signals.call_intercepted.emit(route, organisation);
      });
  signals.member_joined.connect([this](std::size_t cell) { recruited(cell); });
  posts_ = ctx_.sim.add_handler<&Intelligence::on_posts>("social_media_posts", *this);
  informant_ = ctx_.sim.add_handler<&Intelligence::on_informant>("informant", *this);
  if (social_media_) schedule_posts();
  if (spec_.informant_rate > 0.0 && !cell_known_.empty() && !spec_.oracle)
    ctx_.sim.schedule_in(SimTime::days(boost::random::exponential_distribution<double>(
                             spec_.informant_rate)(informant_rng_)),
                         informant_);
}

void Intelligence::learn(Sightings& item) {
  if (item.learn(ctx_.now(), max_delay_)) ++version_;
}

void Intelligence::learn_cell_only(std::size_t cell) {
  if (cell_known_[cell].empty()) learned_cells_.push_back(cell);
  learn(cell_known_[cell]);
}

void Intelligence::learn_tie(std::size_t tie) {
  if (tie_known_[tie].empty()) learned_ties_.push_back(tie);
  learn(tie_known_[tie]);
}

void Intelligence::check_delay(double sharing_delay) const {
  if (sharing_delay > max_delay_)
    throw std::logic_error("sharing delay " + std::to_string(sharing_delay) +
                           " longer than the longest in the scenario, " +
                           std::to_string(max_delay_));
}

void Intelligence::learn_cell(std::size_t cell, double tie_probability, LazyStream& rng) {
  learn_cell_only(cell);
  boost::random::uniform_01<double> uniform;
  for (std::size_t k : ties_of_[cell])
    if (tie_probability >= 1.0 || uniform(rng) < tie_probability) {
      learn_tie(k);
      // Knowing a tie means knowing who is at its other end.
      learn_cell_only(ties_[k].from == cell ? ties_[k].to : ties_[k].from);
    }
}

void Intelligence::seized_crew(CarrierKind carrier, std::size_t index) {
  if (carrier == CarrierKind::cell) {
    learn_cell(index, spec_.reveal_probability, seizure_reveal_rng_);
    return;
  }
  if (carrier != CarrierKind::vessel) return;
  const VesselSpec& v = ctx_.spec().vessels[index];
  for (std::size_t c : ctx_.world.organisations[v.organisation].cells_at[v.home])
    learn_cell(c, spec_.reveal_probability, seizure_reveal_rng_);
}

void Intelligence::cell_hit(std::size_t cell) {
  learn_cell(cell, spec_.reveal_probability, intervention_reveal_rng_);
}

void Intelligence::cell_raided(std::size_t cell) {
  learn_cell(cell, spec_.reveal_probability, raid_reveal_rng_);
}

void Intelligence::intercepted(std::size_t route, std::size_t organisation) {
  boost::random::uniform_01<double> uniform;
  if (uniform(leak_location_rng_) >= spec_.leak_locates) return;
  const RouteSpec& r = ctx_.spec().routes[route];
  const OrganisationRuntime& org = ctx_.world.organisations[organisation];
  const auto& here = org.cells_at[r.from];
  const auto& there = org.cells_at[r.to];
  for (std::size_t c : here)
    learn_cell_only(c);
  for (std::size_t c : there)
    learn_cell_only(c);
  const auto& cells = ctx_.spec().cells;
  for (std::size_t c : here)
    for (std::size_t k : ties_of_[c]) {
      const CellSpec& other = cells[ties_[k].from == c ? ties_[k].to : ties_[k].from];
      if (other.place == r.to && other.organisation == organisation) learn_tie(k);
    }
}

bool Intelligence::radio_handoff() {
  if (!radio_interception_) return false;
  boost::random::uniform_01<double> uniform;
  return uniform(interception_rng_) < spec_.radio_interception_probability;
}

void Intelligence::recruited(std::size_t cell) {
  if (!social_media_) return;
  boost::random::uniform_01<double> uniform;
  if (uniform(exposure_rng_) < spec_.recruit_exposure) learn_cell_only(cell);
}

void Intelligence::set_social_media(bool on) {
  social_media_ = on;
  if (on && !posts_scheduled_) schedule_posts();
}

void Intelligence::schedule_posts() {
  const double rate = spec_.social_media_rate * static_cast<double>(cell_known_.size());
  if (rate <= 0.0 || spec_.oracle) return;
  posts_scheduled_ = true;
  ctx_.sim.schedule_in(
      SimTime::days(boost::random::exponential_distribution<double>(rate)(posts_rng_)), posts_);
}

void Intelligence::on_posts(Simulation&, const Event&) {
  // Posts arrive at rate x (all cells); thinning keeps those of operating cells. While
  // monitoring is off nobody reads them: the process stops until it is switched on again.
  posts_scheduled_ = false;
  if (!social_media_) return;
  boost::random::uniform_int_distribution<std::size_t> pick(0, cell_known_.size() - 1);
  const std::size_t cell = pick(posts_rng_);
  if (ctx_.world.cells[cell].total() > 0) learn_cell_only(cell);
  schedule_posts();
}

void Intelligence::on_informant(Simulation& sim, const Event&) {
  boost::random::uniform_int_distribution<std::size_t> pick(0, cell_known_.size() - 1);
  const std::size_t cell = pick(informant_rng_);
  if (ctx_.world.cells[cell].total() > 0)
    learn_cell(cell, 1.0, informant_rng_);  // every tie: no draw
  sim.schedule_in(SimTime::days(boost::random::exponential_distribution<double>(
                      spec_.informant_rate)(informant_rng_)),
                  informant_);
}

graph::NodeMask Intelligence::operating() const {
  graph::NodeMask mask(cell_known_.size(), 0);
  for (std::size_t c = 0; c < mask.size(); ++c)
    mask[c] = ctx_.world.cells[c].total() > 0 ? 1 : 0;
  return mask;
}

Intelligence::Picture Intelligence::picture(double sharing_delay) const {
  const double now = ctx_.now();
  if (spec_.oracle) return {operating(), cells_, now};
  check_delay(sharing_delay);
  Picture p;
  const double lifetime = spec_.lifetime;
  // The next time an item becomes actionable or lapses.
  const auto next_change = [&](const Sightings& item) {
    p.valid_until = std::min(p.valid_until, item.next_change(now, sharing_delay, lifetime));
  };
  p.cells.assign(cell_known_.size(), 0);
  for (std::size_t c : learned_cells_) {
    p.cells[c] = cell_known_[c].actionable(now, sharing_delay, lifetime) ? 1 : 0;
    next_change(cell_known_[c]);
  }
  std::vector<graph::Tie> known;
  for (std::size_t k : learned_ties_) {
    next_change(tie_known_[k]);
    if (tie_known_[k].actionable(now, sharing_delay, lifetime) && p.cells[ties_[k].from] &&
        p.cells[ties_[k].to])
      known.push_back(ties_[k]);
  }
  p.ties = graph::Graph(cell_known_.size(), known, false);
  return p;
}

double Intelligence::shortest_delay() const {
  double best = ctx_.world.agencies.empty() ? 0.0 : kNever;
  for (const AgencyRuntime& a : ctx_.world.agencies)
    best = std::min(best, a.sharing_delay);
  return best;
}

const std::array<double, 8>& Intelligence::true_measures() {
  const ModelSpec::NetworkMeasures level = ctx_.spec().network_measures;
  if (level == ModelSpec::NetworkMeasures::none) {
    true_measures_.fill(std::numeric_limits<double>::quiet_NaN());
  } else if (ctx_.world.cell_activity_version != true_version_) {
    true_version_ = ctx_.world.cell_activity_version;
    true_measures_ = ctx_.measurer.measure(cells_, operating());
  }
  return true_measures_;
}

const std::array<double, 8>& Intelligence::known_measures() {
  const ModelSpec::NetworkMeasures level = ctx_.spec().network_measures;
  if (level == ModelSpec::NetworkMeasures::none) {
    known_measures_.fill(std::numeric_limits<double>::quiet_NaN());
    return known_measures_;
  }
  // Nothing has happened since the last reading (the series are read one after another).
  if (ctx_.sim.events_handled() == known_checked_at_) return known_measures_;
  known_checked_at_ = ctx_.sim.events_handled();
  // The picture changes with learning and with time (items become actionable, then lapse):
  // its measures are recomputed only when it differs from the last one.
  const double delay = shortest_delay();
  if (version_ == known_version_ && delay == known_delay_ && ctx_.now() < known_valid_until_)
    return known_measures_;
  Picture known = picture(delay);
  known_version_ = version_;
  known_delay_ = delay;
  known_valid_until_ = known.valid_until;
  std::vector<graph::Tie> ties = known.ties.ties();
  if (known.cells != known_cells_ || ties != known_ties_) {
    known_measures_ = ctx_.measurer.measure(known.ties, known.cells);
    known_cells_ = std::move(known.cells);
    known_ties_ = std::move(ties);
  }
  return known_measures_;
}

std::span<const Metric<Intelligence>> Intelligence::series() {
  static const Metric<Intelligence> kSeries[] = {
      {{"true_nodes", "1", "cells operating (with members): nodes of the true network"},
       [](Intelligence& m) { return m.true_measures()[0]; }},
      {{"true_ties", "1", "ties between operating cells"},
       [](Intelligence& m) { return m.true_measures()[1]; }},
      {{"true_components", "1", "connected components of the true network"},
       [](Intelligence& m) { return m.true_measures()[2]; }},
      {{"true_largest_component", "1", "cells in the true network's largest connected component"},
       [](Intelligence& m) { return m.true_measures()[3]; }},
      {{"true_density", "1", "ties / possible ties among operating cells"},
       [](Intelligence& m) { return m.true_measures()[4]; }},
      {{"true_efficiency", "1",
        "global efficiency of the true network (sampled above output.exact_measure_limit cells)"},
       [](Intelligence& m) { return m.true_measures()[5]; }},
      {{"true_degree_centralisation", "1", "Freeman degree centralisation of the true network"},
       [](Intelligence& m) { return m.true_measures()[6]; }},
      {{"true_betweenness_centralisation", "1",
        "Freeman betweenness centralisation of the true network (sampled above "
        "output.exact_measure_limit cells)"},
       [](Intelligence& m) { return m.true_measures()[7]; }},
      {{"known_nodes", "1", "cells in enforcement's actionable picture (best-informed agency)"},
       [](Intelligence& m) { return m.known_measures()[0]; }},
      {{"known_ties", "1", "ties in enforcement's actionable picture"},
       [](Intelligence& m) { return m.known_measures()[1]; }},
      {{"known_components", "1", "connected components of the known network"},
       [](Intelligence& m) { return m.known_measures()[2]; }},
      {{"known_largest_component", "1", "cells in the known network's largest connected component"},
       [](Intelligence& m) { return m.known_measures()[3]; }},
      {{"known_density", "1", "ties / possible ties among known cells"},
       [](Intelligence& m) { return m.known_measures()[4]; }},
      {{"known_efficiency", "1",
        "global efficiency of the known network (sampled above output.exact_measure_limit cells)"},
       [](Intelligence& m) { return m.known_measures()[5]; }},
      {{"known_degree_centralisation", "1", "Freeman degree centralisation of the known network"},
       [](Intelligence& m) { return m.known_measures()[6]; }},
      {{"known_betweenness_centralisation", "1",
        "Freeman betweenness centralisation of the known network (sampled above "
        "output.exact_measure_limit cells)"},
       [](Intelligence& m) { return m.known_measures()[7]; }},
  };
  return kSeries;
}

}  // namespace interdict::model
