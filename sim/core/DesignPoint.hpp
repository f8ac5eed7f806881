// DesignPoint: where a run's parameter point sits in a sensitivity design (Morris, Sobol).
#pragma once

#include <cstdint>
#include <string>

namespace interdict {

/// A point's place in a sensitivity design; index -1 outside one. Shared by every variant and
/// replicate of the point, so runs pair on (index, replicate).
struct DesignPoint {
  std::int64_t index = -1;   // the point's number in the design, in plan order
  std::int64_t block = -1;   // Sobol: base row j; Morris: trajectory t
  std::string role;          // Sobol: "A", "B" or "AB"; Morris: "start" or "step"
  std::int64_t factor = -1;  // "AB": the factor taken from B; "step": the factor moved; else -1

  bool in_design() const { return index >= 0; }
};

}  // namespace interdict
