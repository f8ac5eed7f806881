#!/usr/bin/env bash
# Installs what is missing, builds interdict (Release) and runs it.
#   ./run.sh            prints the Veracruz takedown's paired effect over 20 seeds, then runs
#                       scenarios/veracruz.toml and writes results/veracruz.h5
#   ./run.sh ARGS...    passes ARGS to the interdict command line (see ./run.sh --help)
# Either way, `import interdict` then works in /usr/bin/python3 (docs/python.md).
set -euo pipefail
cd "$(dirname "$0")"
source .ci/setup.sh
interdict_ensure_packages "${INTERDICT_BUILD_PACKAGES[@]}"
interdict_build_release interdict _interdict
interdict_install_python  # `import interdict` with /usr/bin/python3 (docs/python.md)
if [ $# -eq 0 ]; then
  interdict_ensure_packages "${INTERDICT_RUN_PACKAGES[@]}"
  # The question the project exists for, answered over paired replicates (a few seconds), then
  # one run of the scenario with its summary.
  /usr/bin/python3 analysis/takedown_effect.py --brief
  echo
  set -- run scenarios/veracruz.toml -o results/veracruz.h5
fi
exec build/sim/cli/interdict "$@"
