// Scenario: a scenario file read, validated and turned into a ModelSpec.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "model/ModelSpec.hpp"
#include "scenario/NetworkGenerator.hpp"

namespace interdict::scenario {

/// A loaded scenario: the model it describes plus what results must record about it.
struct Scenario {
  std::string path;           // as given by the user
  std::string text;           // the exact TOML text, stored in every result file
  std::string resolved_text;  // with a scenario.base: the merged document (else empty)
  std::string name;
  std::string description;
  std::vector<std::string> overrides;  // "key=value" applied on top of the text
  std::uint64_t seed = 1;
  model::ModelSpec model;
};

/// One of each kind of entry with every parameter at its default from the key table, and the
/// run settings and [intelligence] at theirs (a ModelSpec with no entries): what generated
/// networks and specs built in code start from, so that defaults live only in the key table.
/// Ids, places and other references are left empty or zero, as are keys without a default.
struct SpecDefaults {
  model::ModelSpec model;
  model::PlaceSpec place;
  model::RouteSpec route;
  model::OrganisationSpec organisation;
  model::CellSpec cell;
  model::VesselSpec vessel;
  model::RelaySpec relay;
  model::MarketSpec market;
  model::SourceSpec source;
  model::AgencySpec agency;
  model::PatrolSpec patrol;
  model::BribeSpec bribe;
  GeneratorSpec generator;  // [generate]
};
/// `reads`, if given, receives the key-table name of every key read (for the test that each
/// key with a default is here).
SpecDefaults spec_defaults(std::set<std::string>* reads = nullptr);

/// Reads and validates a scenario file, with optional overrides "key.path=TOML value"
/// (e.g. "simulation.duration=365", "routes[2].exposure=0.5", "interventions=[]").
/// Throws InputError naming file (or "--set KEY"), line, column and key.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

/// The document a scenario file describes once its base scenarios are merged and `overrides`
/// applied, as TOML text, checked against the key table but without building the model (Python's
/// `Scenario` reads its keys from this). Throws InputError as load_scenario does.
std::string resolved_document(const std::string& path,
                              const std::vector<std::string>& overrides = {});

/// Parses scenario text; `path` is used in error messages only.
Scenario parse_scenario(std::string text, const std::string& path,
                        const std::vector<std::string>& overrides = {});
/// The same, noting in `reads` the key-table name of every key the builder read.
Scenario parse_scenario(std::string text, const std::string& path,
                        const std::vector<std::string>& overrides, std::set<std::string>* reads);

}  // namespace interdict::scenario
