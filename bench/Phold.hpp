// Phold: the standard PHOLD synthetic workload, written against the engine's public API.
#pragma once

#include <cstdint>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "core/RandomStreams.hpp"
#include "core/Simulation.hpp"

namespace interdict::bench {

/// PHOLD parameters, defaults as in ROSS's models/phold (workload W1).
struct PholdConfig {
  std::uint32_t lps = 1024;
  std::uint32_t events_per_lp = 16;
  double end = 500.0;
  double lookahead = 0.1;
  double mean = 0.9;
  double remote = 0.25;
  /// Probability that an event cancels the one handled before it, which has already run (as
  /// the model cancels a shipment's event that may be past): 0 in the standard workloads.
  double cancel_handled = 0.0;
  std::uint64_t seed = 1;
};

/// N logical processes; each handled event at LP i schedules one new event at
/// t + lookahead + Exp(mean), for a uniformly random LP with probability `remote`, else i.
/// With cancel_handled > 0, an event may also cancel the event handled before it.
class Phold {
 public:
  Phold(Simulation& sim, const PholdConfig& config)
      : config_(config),
        rng_(RandomStreams(config.seed, 0).stream("phold")),
        delay_(1.0 / config.mean),
        lp_(0, config.lps - 1) {
    handler_ = sim.add_handler<&Phold::on_event>("phold", *this);
    for (std::uint32_t lp = 0; lp < config.lps; ++lp)
      for (std::uint32_t k = 0; k < config.events_per_lp; ++k)
        sim.schedule(SimTime::days(config.lookahead + delay_(rng_)), handler_, lp);
    sim.stop_at(SimTime::days(config.end));
  }

  void on_event(Simulation& sim, const Event& event) {
    if (config_.cancel_handled > 0.0) {  // no extra draw in the standard workloads
      if (uniform_(rng_) < config_.cancel_handled) sim.cancel(previous_);
      previous_ = event.id();
    }
    std::uint32_t destination = event.target;
    if (uniform_(rng_) < config_.remote) destination = lp_(rng_);
    sim.schedule_in(SimTime::days(config_.lookahead + delay_(rng_)), handler_, destination);
  }

 private:
  PholdConfig config_;
  RandomEngine rng_;
  boost::random::exponential_distribution<double> delay_;
  boost::random::uniform_01<double> uniform_;
  boost::random::uniform_int_distribution<std::uint32_t> lp_;
  HandlerId handler_{};
  EventId previous_{};
};

/// Runs PHOLD to its end time and returns the number of PHOLD events handled.
inline std::uint64_t run_phold(const PholdConfig& config) {
  Simulation sim;
  Phold model(sim, config);
  sim.run();
  return sim.events_handled() - 1;  // the stop event is not a PHOLD event
}

}  // namespace interdict::bench
