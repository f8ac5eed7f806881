// Observation: metric definitions, sampling and the summary.
#include "model/Observation.hpp"

#include <utility>

namespace interdict::model {

Observation::Observation(ModelContext& context, const MetricTable& series,
                         const MetricTable& summary)
    : ctx_(context), series_(series), summary_(summary) {
  sample_ = ctx_.sim.add_handler<&Observation::on_sample>("sample", *this);
  std::vector<MetricInfo> recorded;
  for (std::size_t i : ctx_.spec().recorded_series)
    recorded.push_back(series_.infos()[i]);
  ctx_.recorder.declare_series(recorded.empty() ? series_.infos() : recorded);
  recorded_values_.resize(recorded.size());
  if (ctx_.recorder.wants_table(kNetworkTables)) network_log_.emplace(ctx_);
  ctx_.schedule_tick(sample_, 0, ctx_.spec().sample_interval_days, Priority::late);
}

void Observation::on_sample(Simulation& sim, const Event& event) {
  ctx_.world.check_conservation();
  series_.read(values_);
  const auto& chosen = ctx_.spec().recorded_series;
  if (chosen.empty()) {
    ctx_.recorder.sample(sim.now(), values_);
  } else {
    for (std::size_t k = 0; k < chosen.size(); ++k)
      recorded_values_[k] = values_[chosen[k]];
    ctx_.recorder.sample(sim.now(), recorded_values_);
  }
  ctx_.signals.sample_taken.emit(values_);
  if (network_log_) network_log_->close_interval(sim.now().in_days());
  ctx_.schedule_tick(sample_, event.payload + 1, ctx_.spec().sample_interval_days, Priority::late);
}

void Observation::finish() {
  ctx_.world.check_conservation();
  std::vector<double> values;
  summary_.read(values);
  for (std::size_t i = 0; i < values.size(); ++i)
    ctx_.recorder.summary(summary_.infos()[i], values[i]);
  if (!network_log_) return;
  for (Table& table : network_tables(ctx_.spec(), ctx_.world.activity_log, *network_log_))
    ctx_.recorder.table(std::move(table));
}

}  // namespace interdict::model
