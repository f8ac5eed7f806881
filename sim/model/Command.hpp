// Command: whether an organisation still has a chain of command, and what it loses without.
#pragma once

#include <span>
#include <vector>

#include "model/Metrics.hpp"
#include "model/ModelContext.hpp"

namespace interdict::model {

/// Mechanism 14, the chain of command. The reports on the 2011 Veracruz takedown give its
/// effect as the loss of Los Zetas' chain of command [F]; MADTOR finds a few arrests disrupt a
/// trafficking organisation, with diminishing returns (Manzi & Calderoni 2024 [F]). Here leaders
/// decide that loads move and hold the routes and contacts. An organisation has no command
/// (is headless) while none of its cells has a leader (arrested and not yet replaced, 3.3.6)
/// or, with command.control_centres, while none of its control centres is up (if it had any).
/// While headless:
///  - frozen decisions: a new load waits Exp(command.headless_delay) at its source before it is
///    sent (Transport asks dispatch_delay());
///  - stale routes (command.stale_routes): nobody re-plans; new loads follow the paths planned
///    before (RoutePlanner asks frozen()).
/// Both are off by default; command returns with the first leader or control centre back.
class Command {
 public:
  explicit Command(ModelContext& context);

  /// Whether organisation o has no command now.
  bool headless(std::size_t o) const;
  /// Whether o's routes are frozen now (headless, with stale_routes).
  bool frozen(std::size_t o) const {
    return ctx_.spec().organisations[o].stale_routes && headless(o);
  }
  /// Days a new load of o waits before it is sent: 0 with command, else a draw.
  double dispatch_delay(std::size_t o);

  /// Organisations without command, sampled every interval.
  static std::span<const Metric<Command>> series();
  /// Loads held back for lack of command.
  static std::span<const Metric<Command>> summary();

 private:
  double headless_count() const;

  ModelContext& ctx_;
  LazyStream decisions_rng_;     // waits of loads held back
  std::vector<int> centres_;     // per organisation: control centres it had at the start
  std::vector<int> centres_up_;  // per organisation: of those, up now
  std::uint64_t held_ = 0;
};

}  // namespace interdict::model
