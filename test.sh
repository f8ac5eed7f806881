#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test:
#   0. every C++ source under sim/, tests/ and bench/ is formatted as .clang-format says;
#   1. C++ unit, model and end-to-end tests (ctest) on the Release build;
#   2. the same unit tests under AddressSanitizer + UndefinedBehaviorSanitizer;
#   3. Python tests (pytest with /usr/bin/python3): the CLI, the HDF5 files in xarray and h5py,
#      and studies: sweeps on threads, shards and under `mpirun -n 2` (the MPI tests), a sweep
#      killed mid-way and resumed, merges;
#   4. the fuzz targets (tests/fuzz, clang, ASan + UBSan): the committed crash reproducers
#      replayed, then each target for a few seconds (docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")"
source .ci/setup.sh
interdict_ensure_packages "${INTERDICT_BUILD_PACKAGES[@]}" "${INTERDICT_TEST_PACKAGES[@]}"

echo "== clang-format"
find sim tests bench \( -name '*.cpp' -o -name '*.hpp' \) -print0 | sort -z |
  xargs -0 clang-format --dry-run --Werror

echo "== build (Release)"
interdict_build_release
echo "== ctest"
(cd build && ctest --output-on-failure -j "$(nproc)")

echo "== unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINTERDICT_SANITIZE=ON \
  -DINTERDICT_BUILD_BENCHMARKS=OFF "${launcher[@]}" >build-asan.log 2>&1 ||
  { cat build-asan.log >&2; exit 1; }
interdict_cmake_build build-asan build-asan.log unit_tests
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  build-asan/tests/unit_tests

export PYTHONDONTWRITEBYTECODE=1  # no bytecode caches in the checkout
echo "== Python tests (including MPI sweeps)"
INTERDICT_BIN="$PWD/build/sim/cli/interdict" /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/python

echo "== fuzz targets: regressions replayed, then ${INTERDICT_FUZZ_SECONDS:=8} s each"
if echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' |
  clang++ -x c++ -fsanitize=fuzzer,address,undefined - -o build/fuzz-probe >/dev/null 2>&1; then
  bench/fuzz.sh --replay all
  for target in fuzz_scenario fuzz_network fuzz_journal fuzz_result; do
    INTERDICT_FUZZ_BUILT=1 bench/fuzz.sh "$target" "$INTERDICT_FUZZ_SECONDS" >"build-fuzz/$target.log" 2>&1 ||
      { tail -n 40 "build-fuzz/$target.log" >&2; echo "interdict: $target failed (input in build-fuzz/artifacts/$target)" >&2; exit 1; }
    grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "build-fuzz/$target.log" | tr '\n' ' '
    echo "($target)"
  done
else
  echo "(skipped: clang with libFuzzer is missing; Debian: apt-get install clang libfuzzer-14-dev libclang-rt-14-dev)"
fi
