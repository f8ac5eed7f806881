// Channels: radio and fallback coordination of hand-offs.
#include "model/Channels.hpp"

#include <boost/random/uniform_01.hpp>

namespace interdict::model {

RadioChannel::RadioChannel(ModelContext& context)
    : ctx_(context), delay_rng_(context.streams, "coordination/radio-delay") {}

bool RadioChannel::available(std::size_t organisation, std::size_t place) {
  return ctx_.comms.radio_at(organisation, place);
}

std::optional<double> RadioChannel::attempt(std::size_t organisation, std::size_t route) {
  ++ctx_.world.totals.handoffs_radio;
  const double delay =
      exponential_wait(ctx_.spec().organisations[organisation].radio_delay, delay_rng_);
  ctx_.signals.handoff.emit(route, organisation, name());
  return delay;
}

FallbackChannel::FallbackChannel(ModelContext& context)
    : ctx_(context),
      failure_rng_(context.streams, "coordination/fallback-failure"),
      delay_rng_(context.streams, "coordination/fallback-delay"),
      leak_rng_(context.streams, "coordination/fallback-leak") {}

std::optional<double> FallbackChannel::attempt(std::size_t organisation, std::size_t route) {
  const OrganisationSpec& params = ctx_.spec().organisations[organisation];
  boost::random::uniform_01<double> uniform;
  ++ctx_.world.totals.handoffs_fallback;
  if (uniform(failure_rng_) < params.fallback_failure) return std::nullopt;
  const double delay = exponential_wait(params.fallback_delay, delay_rng_);
  if (uniform(leak_rng_) < params.fallback_leak)
    ctx_.signals.call_intercepted.emit(route, organisation);
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
