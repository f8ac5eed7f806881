// Recovery: arrests and the processes that repair the network afterwards.
#include "model/Recovery.hpp"

#include <boost/random/uniform_int_distribution.hpp>

namespace interdict::model {

Recovery::Recovery(ModelContext& context)
    : ctx_(context),
      pending_by_role_(context.spec().cells.size()),
      replacement_rng_(context.streams, "recovery/replacement"),
      recruitment_rng_(context.streams, "recovery/recruitment"),
      joining_rng_(context.streams, "recovery/joining") {
  Simulation& sim = ctx_.sim;
  recruit_ = sim.add_handler<&Recovery::on_recruit>("recruit", *this);
  join_ = sim.add_handler<&Recovery::on_join>("join", *this);
  replace_ = sim.add_handler<&Recovery::on_replace>("replace", *this);
  rebuild_ = sim.add_handler<&Recovery::on_rebuild>("rebuild_relay", *this);
  buy_vessel_ = sim.add_handler<&Recovery::on_buy_vessel>("buy_vessel", *this);
}

SimTime Recovery::exponential(double mean, LazyStream& rng) {
  return SimTime::days(exponential_wait(mean, rng));
}

int Recovery::shortfall(std::size_t cell) const {
  const CellRuntime& c = ctx_.world.cells[cell];
  const RoleCounts& target = ctx_.spec().cells[cell].members;
  int missing = 0;
  for (std::size_t r = 0; r < kRoleCount; ++r)
    missing += std::max(0, target[r] - c.members[r]);
  return missing - c.pending_recruits;
}

bool Recovery::can_recruit(std::size_t cell) const {
  if (ctx_.world.cells[cell].total() > 0) return true;
  for (std::size_t tie : ctx_.spec().cells[cell].ties)
    if (ctx_.world.cells[tie].total() > 0) return true;
  return false;
}

void Recovery::arrest(std::size_t cell, Role role) {
  ctx_.world.change_members(cell, role, -1);
  ++ctx_.world.totals.arrests;
  if (role == Role::leader || role == Role::broker)
    ctx_.sim.schedule_in(
        exponential(
            ctx_.spec().organisations[ctx_.spec().cells[cell].organisation].replacement_delay,
            replacement_rng_),
        replace_, static_cast<std::uint32_t>(cell), static_cast<std::uint64_t>(role));
  seek_recruit(cell);
}

int Recovery::arrest_among(const std::vector<std::size_t>& cells, int count, LazyStream& rng) {
  int made = 0;
  for (; made < count; ++made) {
    std::int64_t members = 0;
    for (std::size_t c : cells)
      members += ctx_.world.cells[c].total();
    if (members == 0) break;
    std::int64_t pick = boost::random::uniform_int_distribution<std::int64_t>(0, members - 1)(rng);
    for (std::size_t c : cells) {
      const RoleCounts& m = ctx_.world.cells[c].members;
      for (std::size_t r = 0; r < kRoleCount; ++r) {
        if (pick < m[r]) {
          arrest(c, static_cast<Role>(r));
          pick = -1;
          break;
        }
        pick -= m[r];
      }
      if (pick < 0) break;
    }
  }
  return made;
}

void Recovery::seek_recruit(std::size_t cell) {
  const double rate =
      ctx_.spec().organisations[ctx_.spec().cells[cell].organisation].recruitment_rate;
  if (rate > 0.0)
    ctx_.sim.schedule_in(exponential(1.0 / rate, recruitment_rng_), recruit_,
                         static_cast<std::uint32_t>(cell));
}

void Recovery::on_recruit(Simulation&, const Event& event) {
  const std::size_t cell = event.target;
  if (shortfall(cell) <= 0) return;  // the place was filled another way
  const std::size_t o = ctx_.spec().cells[cell].organisation;
  const OrganisationSpec& params = ctx_.spec().organisations[o];
  OrganisationRuntime& org = ctx_.world.organisations[o];
  if (!can_recruit(cell) || !affordable(o, params.recruit_cost)) {
    seek_recruit(cell);  // nobody to reach recruits through, or no money: keep looking
    return;
  }
  org.capital -= params.recruit_cost;
  CellRuntime& c = ctx_.world.cells[cell];
  // The role with the largest shortfall, counting recruits already on their way.
  const RoleCounts& target = ctx_.spec().cells[cell].members;
  std::size_t role = 0;
  int worst = -1;
  for (std::size_t r = 0; r < kRoleCount; ++r) {
    const int gap = target[r] - c.members[r] - pending_by_role_[cell][r];
    if (gap > worst) {
      worst = gap;
      role = r;
    }
  }
  ++c.pending_recruits;
  ++pending_by_role_[cell][role];
  ++ctx_.world.totals.recruits;
  ctx_.sim.schedule_in(exponential(params.recruitment_delay, joining_rng_), join_, event.target,
                       role);
}

void Recovery::on_join(Simulation&, const Event& event) {
  const std::size_t cell = event.target;
  --ctx_.world.cells[cell].pending_recruits;
  --pending_by_role_[cell][event.payload];
  ctx_.world.change_members(cell, static_cast<Role>(event.payload), +1);
  ctx_.signals.member_joined.emit(cell);
  ctx_.announce_carrier(ctx_.spec().cells[cell].organisation, ctx_.spec().cells[cell].place);
}

void Recovery::on_replace(Simulation&, const Event& event) {
  const std::size_t cell = event.target;
  const auto role = static_cast<Role>(event.payload);
  const auto r = static_cast<std::size_t>(role);
  World& w = ctx_.world;
  if (w.cells[cell].members[r] >= ctx_.spec().cells[cell].members[r]) return;  // already filled
  for (std::size_t tie : ctx_.spec().cells[cell].ties) {
    if (w.cells[tie].members[r] >= 2) {
      w.change_members(tie, role, -1);
      w.change_members(cell, role, +1);
      seek_recruit(tie);  // the donor is now one short
      ctx_.announce_carrier(ctx_.spec().cells[cell].organisation, ctx_.spec().cells[cell].place);
      return;
    }
  }
  constexpr auto transporter = static_cast<std::size_t>(Role::transporter);
  if (w.cells[cell].members[transporter] > 0) {
    w.change_members(cell, Role::transporter, -1);
    w.change_members(cell, role, +1);
    ctx_.announce_carrier(ctx_.spec().cells[cell].organisation, ctx_.spec().cells[cell].place);
  }
}

void Recovery::relay_destroyed(std::size_t relay) {
  RelayRuntime& r = ctx_.world.relays[relay];
  if (!r.up) return;
  ctx_.world.set_relay_up(relay, false);
  ctx_.signals.relay_changed.emit(relay, false);
  if (r.rebuilding) return;
  r.rebuilding = true;
  const OrganisationSpec& params =
      ctx_.spec().organisations[ctx_.spec().relays[relay].organisation];
  ctx_.sim.schedule_in(SimTime::days(params.relay_rebuild_delay), rebuild_,
                       static_cast<std::uint32_t>(relay));
}

bool Recovery::pay_or_wait(std::size_t organisation, double cost, double delay, HandlerId retry,
                           std::uint32_t target) {
  if (!affordable(organisation, cost)) {
    ctx_.sim.schedule_in(SimTime::days(delay), retry, target);
    return false;
  }
  ctx_.world.organisations[organisation].capital -= cost;
  return true;
}

bool Recovery::affordable(std::size_t organisation, double cost) const {
  return ctx_.world.affordable(organisation, cost);
}

void Recovery::on_rebuild(Simulation&, const Event& event) {
  const std::size_t o = ctx_.spec().relays[event.target].organisation;
  const OrganisationSpec& params = ctx_.spec().organisations[o];
  if (!pay_or_wait(o, params.relay_cost, params.relay_rebuild_delay, rebuild_, event.target))
    return;
  RelayRuntime& relay = ctx_.world.relays[event.target];
  relay.rebuilding = false;
  ctx_.world.set_relay_up(event.target, true);
  ++ctx_.world.totals.relays_rebuilt;
  ctx_.signals.relay_changed.emit(event.target, true);
}

void Recovery::vessel_seized(std::size_t vessel) {
  if (ctx_.world.vessels[vessel].state == VesselState::seized) return;
  ctx_.world.set_vessel_seized(vessel, true);
  const OrganisationSpec& params =
      ctx_.spec().organisations[ctx_.spec().vessels[vessel].organisation];
  ctx_.sim.schedule_in(SimTime::days(params.vessel_replacement_delay), buy_vessel_,
                       static_cast<std::uint32_t>(vessel));
}

void Recovery::on_buy_vessel(Simulation&, const Event& event) {
  const std::size_t o = ctx_.spec().vessels[event.target].organisation;
  const OrganisationSpec& params = ctx_.spec().organisations[o];
  if (!pay_or_wait(o, params.vessel_cost, params.vessel_replacement_delay, buy_vessel_,
                   event.target))
    return;
  ctx_.world.set_vessel_seized(event.target, false);
  ++ctx_.world.totals.vessels_bought;
  ctx_.announce_carrier(o, ctx_.spec().vessels[event.target].home, true);
}

namespace {

double number(std::int64_t x) {
  return static_cast<double>(x);
}

}  // namespace

std::span<const Metric<Recovery>> Recovery::series() {
  static const Metric<Recovery> kSeries[] = {
      {{"arrests", "1", "cumulative number of people arrested (cell members and vessel crews)"},
       [](Recovery& m) { return number(m.ctx_.world.totals.arrests); }},
      {{"active_members", "1", "members of all cells"},
       [](Recovery& m) { return number(m.ctx_.world.active_members); }},
      {{"active_cells", "1", "cells with at least one member"},
       [](Recovery& m) { return number(m.ctx_.world.active_cells); }},
  };
  return kSeries;
}

std::span<const Metric<Recovery>> Recovery::summary() {
  static const Metric<Recovery> kSummary[] = {
      {{"arrests", "1", "people arrested over the run"},
       [](Recovery& m) { return number(m.ctx_.world.totals.arrests); }},
      {{"recruits", "1", "recruits contacted over the run"},
       [](Recovery& m) { return number(m.ctx_.world.totals.recruits); }},
      {{"relays_rebuilt", "1", "relays rebuilt over the run"},
       [](Recovery& m) { return number(m.ctx_.world.totals.relays_rebuilt); }},
      {{"vessels_bought", "1", "vessels bought to replace seized ones"},
       [](Recovery& m) { return number(m.ctx_.world.totals.vessels_bought); }},
  };
  return kSummary;
}

}  // namespace interdict::model
