// Command: leaders and control centres counted, and the loads held back without them.
#include "model/Command.hpp"

namespace interdict::model {

Command::Command(ModelContext& context)
    : ctx_(context), decisions_rng_(context.streams, "command/decisions") {
  const ModelSpec& spec = ctx_.spec();
  centres_.assign(spec.organisations.size(), 0);
  for (const RelaySpec& relay : spec.relays)
    if (relay.kind == RelayKind::control_centre) ++centres_[relay.organisation];
  centres_up_ = centres_;
  ctx_.signals.relay_changed.connect([this](std::size_t relay, bool up) {
    const RelaySpec& r = ctx_.spec().relays[relay];
    if (r.kind == RelayKind::control_centre) centres_up_[r.organisation] += up ? 1 : -1;
  });
}

bool Command::headless(std::size_t o) const {
  if (ctx_.world.organisations[o].leaders == 0) return true;
  return ctx_.spec().organisations[o].command_centres && centres_[o] > 0 && centres_up_[o] == 0;
}

double Command::dispatch_delay(std::size_t o) {
  const double mean = ctx_.spec().organisations[o].headless_delay;
  if (mean <= 0.0 || !headless(o)) return 0.0;
  ++held_;
  return exponential_wait(mean, decisions_rng_);
}

double Command::headless_count() const {
  double n = 0.0;
  for (std::size_t o = 0; o < centres_.size(); ++o)
    n += headless(o) ? 1.0 : 0.0;
  return n;
}

std::span<const Metric<Command>> Command::series() {
  static const Metric<Command> kSeries[] = {
      {{"headless_organisations", "1",
        "organisations without command: no leader left (or, with command.control_centres, no "
        "control centre up)"},
       [](Command& m) { return m.headless_count(); }},
  };
  return kSeries;
}

std::span<const Metric<Command>> Command::summary() {
  static const Metric<Command> kSummary[] = {
      {{"loads_held_without_command", "1",
        "loads that waited at their source because their organisation had no command"},
       [](Command& m) { return static_cast<double>(m.held_); }},
  };
  return kSummary;
}

}  // namespace interdict::model
