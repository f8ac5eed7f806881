// StashRaids: loads waiting at places, and the raids that seize them.
#include "model/StashRaids.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/uniform_01.hpp>

namespace interdict::model {

StashRaids::StashRaids(ModelContext& context, Intelligence& intelligence, Recovery& recovery,
                       Transport& transport, const Corruption& corruption)
    : ctx_(context),
      intelligence_(intelligence),
      recovery_(recovery),
      transport_(transport),
      corruption_(corruption),
      candidates_rng_(context.streams, "raids/candidates"),
      arrests_rng_(context.streams, "raids/arrests") {
  for (const AgencySpec& agency : ctx_.spec().agencies) {
    max_rate_.push_back(agency.raid_rate * (1.0 + agency.intel_boost));
    total_rate_ += max_rate_.back();
  }
  raid_ = ctx_.sim.add_handler<&StashRaids::on_raid>("stash_raid", *this);
  ctx_.signals.load_waiting.connect(
      [this](std::uint32_t shipment, std::size_t organisation, std::size_t place) {
        waiting(shipment, organisation, place);
      });
  ctx_.signals.load_moved.connect([this](std::uint32_t shipment) { moved(shipment); });
}

void StashRaids::waiting(std::uint32_t shipment, std::size_t organisation, std::size_t place) {
  if (shipment >= stash_of_.size()) {
    stash_of_.resize(shipment + 1, kNotWaiting);
    position_of_.resize(shipment + 1, 0);
  }
  ++waiting_;
  if (total_rate_ <= 0.0) {  // no agency raids: only count
    stash_of_[shipment] = kCounted;
    return;
  }
  const std::size_t key = organisation * ctx_.spec().places.size() + place;
  auto [at, added] = index_.try_emplace(key, static_cast<std::uint32_t>(stashes_.size()));
  if (added) stashes_.push_back(Stash{organisation, place, {}, {}});
  const std::uint32_t stash = at->second;
  Stash& s = stashes_[stash];
  stash_of_[shipment] = stash;
  position_of_[shipment] = static_cast<std::uint32_t>(s.loads.size());
  s.loads.push_back(shipment);
  if (s.loads.size() == 1) schedule_candidate(stash);
}

void StashRaids::schedule_candidate(std::uint32_t stash) {
  stashes_[stash].next = ctx_.sim.schedule_in(
      SimTime::days(boost::random::exponential_distribution<double>(total_rate_)(candidates_rng_)),
      raid_, stash);
}

void StashRaids::moved(std::uint32_t shipment) {
  if (shipment >= stash_of_.size() || stash_of_[shipment] == kNotWaiting) return;
  --waiting_;
  if (stash_of_[shipment] == kCounted) {
    stash_of_[shipment] = kNotWaiting;
    return;
  }
  Stash& s = stashes_[stash_of_[shipment]];
  // Swap-remove: the last load takes this one's place.
  const std::uint32_t last = s.loads.back();
  s.loads[position_of_[shipment]] = last;
  position_of_[last] = position_of_[shipment];
  s.loads.pop_back();
  stash_of_[shipment] = kNotWaiting;
  if (s.loads.empty()) ctx_.sim.cancel(s.next);
}

void StashRaids::on_raid(Simulation&, const Event& event) {
  const std::uint32_t stash = event.target;
  // Which agency's candidate it is: each in proportion to its largest rate.
  double pick = boost::random::uniform_01<double>()(candidates_rng_) * total_rate_;
  std::size_t agency = 0;
  while (agency + 1 < max_rate_.size() && pick >= max_rate_[agency])
    pick -= max_rate_[agency++];
  if (goes_ahead(agency, stash)) raid(agency, stash);
  if (!stashes_[stash].loads.empty()) schedule_candidate(stash);
}

bool StashRaids::goes_ahead(std::size_t agency, std::size_t stash) {
  const AgencySpec& spec = ctx_.spec().agencies[agency];
  if (spec.raid_rate <= 0.0 || !ctx_.world.agencies[agency].active) return false;
  const Stash& s = stashes_[stash];
  bool known = false;
  for (std::size_t c : ctx_.world.organisations[s.organisation].cells_at[s.place])
    known = known || intelligence_.known(c, ctx_.world.agencies[agency].sharing_delay);
  // Police paid by the organisation there may warn it: the raid is called off.
  const double keep = (1.0 + (known ? spec.intel_boost : 0.0)) / (1.0 + spec.intel_boost) *
                      (1.0 - corruption_.warning(s.organisation, s.place));
  return boost::random::uniform_01<double>()(candidates_rng_) < keep;
}

void StashRaids::raid(std::size_t agency, std::size_t stash) {
  ++raids_;
  // Seizing removes each load from the stash (load_moved): take the list first.
  const std::vector<std::uint32_t> loads = stashes_[stash].loads;
  for (std::uint32_t load : loads) {
    seized_kg_ += static_cast<double>(ctx_.world.shipments[load].kg);
    ++seized_count_;
    transport_.seize_at_place(load, agency);
  }
  const Stash& s = stashes_[stash];
  const std::vector<std::size_t>& cells =
      ctx_.world.organisations[s.organisation].cells_at[s.place];
  recovery_.arrest_among(cells, ctx_.spec().agencies[agency].raid_arrests, arrests_rng_);
  for (std::size_t c : cells)
    intelligence_.cell_raided(c);
}

std::span<const Metric<StashRaids>> StashRaids::series() {
  static const Metric<StashRaids> kSeries[] = {
      {{"loads_waiting", "1",
        "loads resting at places between legs: waiting for a carrier, for coordination or to try "
        "again"},
       [](StashRaids& m) { return static_cast<double>(m.waiting_); }},
      {{"stash_raids", "1", "cumulative number of raids on places where loads wait"},
       [](StashRaids& m) { return static_cast<double>(m.raids_); }},
  };
  return kSeries;
}

std::span<const Metric<StashRaids>> StashRaids::summary() {
  static const Metric<StashRaids> kSummary[] = {
      {{"stash_raids", "1", "raids on places where loads wait, over the run"},
       [](StashRaids& m) { return static_cast<double>(m.raids_); }},
      {{"stash_seized_kg", "kg", "kilograms seized in those raids (part of seized_kg)"},
       [](StashRaids& m) { return m.seized_kg_; }},
      {{"stash_seized_loads", "1", "loads seized in those raids (part of shipments_seized)"},
       [](StashRaids& m) { return static_cast<double>(m.seized_count_); }},
  };
  return kSummary;
}

}  // namespace interdict::model
