// RunLimits: refuses scenarios whose runs would not end in bounded time and memory.
#pragma once

#include "model/ModelSpec.hpp"
#include "scenario/NetworkGenerator.hpp"
#include "scenario/ScenarioReader.hpp"

namespace interdict::scenario {

/// Estimates what a run of `spec` records and handles before anything runs, and throws an
/// InputError at the key to change when it passes a limit of ScenarioKeys.hpp: samples
/// (kMaxSamples), loads created with the pieces vessels split them into (kMaxShipments) and
/// intervention firings (kMaxFirings).
void check_run_limits(const ScenarioReader& reader, const model::ModelSpec& spec);

}  // namespace interdict::scenario

namespace interdict::scenario {

/// Throws an InputError at the [generate] key to change when generating the network would
/// make more than kMaxGeneratedRoutes routes or take more than kMaxGeneratorSteps steps.
void check_generator_limits(const ScenarioReader& reader, const GeneratorSpec& generator);

}  // namespace interdict::scenario
