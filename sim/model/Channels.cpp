// Channels: radio and fallback coordination of hand-offs.
#include "model/Channels.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/uniform_01.hpp>

namespace interdict::model {

namespace {

double exponential(double mean, RandomEngine& rng) {
  return mean > 0.0 ? boost::random::exponential_distribution<double>(1.0 / mean)(rng) : 0.0;
}

}  // namespace

bool RadioChannel::available(std::size_t organisation, std::size_t place) {
  return ctx_.comms.radio_at(organisation, place);
}

std::optional<double> RadioChannel::attempt(std::size_t organisation, std::size_t route,
                                            RandomEngine& rng) {
  ++ctx_.world.totals.handoffs_radio;
  const double delay = exponential(ctx_.spec().organisations[organisation].radio_delay, rng);
  ctx_.signals.handoff.emit(route, organisation, name());
  return delay;
}

std::optional<double> FallbackChannel::attempt(std::size_t organisation, std::size_t route,
                                               RandomEngine& rng) {
  const OrganisationSpec& params = ctx_.spec().organisations[organisation];
  boost::random::uniform_01<double> uniform;
  ++ctx_.world.totals.handoffs_fallback;
  if (uniform(rng) < params.fallback_failure) return std::nullopt;
  const double delay = exponential(params.fallback_delay, rng);
  if (uniform(rng) < params.fallback_leak) ctx_.signals.call_intercepted.emit(route, organisation);
  ctx_.signals.handoff.emit(route, organisation, name());
  return delay;
}

std::vector<std::unique_ptr<CoordinationChannel>> make_channels(ModelContext& context) {
  std::vector<std::unique_ptr<CoordinationChannel>> channels;
  channels.push_back(std::make_unique<RadioChannel>(context));
  channels.push_back(std::make_unique<FallbackChannel>(context));
  return channels;
}

}  // namespace interdict::model
