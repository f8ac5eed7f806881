#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, clang, ASan + UBSan) and runs them.
#   bench/fuzz.sh TARGET|all SECONDS [libFuzzer options...]
#       runs TARGET (fuzz_scenario, fuzz_network, fuzz_journal, fuzz_result), or each in turn,
#       for SECONDS, on the corpus build-fuzz/corpus/TARGET (kept between runs, grown from the
#       seeds); a crash is saved under build-fuzz/artifacts/TARGET/.
#   bench/fuzz.sh --replay [TARGET|all]
#       runs each input of tests/fuzz/regressions/TARGET once (the fixed crashes).
# Needs clang and libFuzzer (Debian: clang libfuzzer-14-dev libclang-rt-14-dev). Long runs on a
# shared machine: nice -n 19 bench/fuzz.sh fuzz_result 1800. See docs/reliability.md.
set -euo pipefail
{  # read whole before running: a long run survives edits of this file
cd "$(dirname "$0")/.."
targets=(fuzz_scenario fuzz_network fuzz_journal fuzz_result)
limits=(-rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10)
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

build() {
  [ -n "${INTERDICT_FUZZ_BUILT:-}" ] && return 0  # test.sh builds once for all targets
  local launcher=()
  command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINTERDICT_FUZZ=ON \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DINTERDICT_BUILD_BENCHMARKS=OFF \
    "${launcher[@]}" >build-fuzz.log 2>&1 || { cat build-fuzz.log >&2; exit 1; }
  cmake --build build-fuzz -j "${INTERDICT_JOBS:-$(nproc)}" --target fuzz_targets \
    >>build-fuzz.log 2>&1 || { tail -n 60 build-fuzz.log >&2; exit 1; }
}

# The seeds of TARGET, in build-fuzz/seeds/TARGET: files of the checkout, and what fuzz_seeds
# writes (journals, edit sequences).
seeds() {
  local dir=build-fuzz/seeds/$1 f
  rm -rf "$dir" && mkdir -p "$dir"
  case $1 in
    fuzz_scenario)  # named by their path: two folders may hold files of one name
      for f in scenarios/*.toml scenarios/*/*.toml scenarios/*/*/*.toml; do
        cp "$f" "$dir/${f//\//_}"
      done ;;
    fuzz_network)
      for f in tests/data/networks/*.csv; do { printf '\0'; cat "$f"; } >"$dir/$(basename "$f")"; done
      for f in tests/data/networks/*.graphml; do { printf '\3'; cat "$f"; } >"$dir/$(basename "$f")"; done ;;
    fuzz_journal | fuzz_result) build-fuzz/tests/fuzz/fuzz_seeds build-fuzz/seeds >/dev/null ;;
  esac
}

run() {  # TARGET SECONDS [options]
  local target=$1 seconds=$2
  shift 2
  mkdir -p "build-fuzz/corpus/$target" "build-fuzz/artifacts/$target"
  seeds "$target"
  local own=()  # fuzz_result's inputs are edit sequences: long ones from the start
  [ "$target" = fuzz_result ] && own=(-max_len=256 -len_control=0)
  echo "== $target: ${seconds} s"
  "build-fuzz/tests/fuzz/$target" "${limits[@]}" "${own[@]}" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="build-fuzz/artifacts/$target/" "$@" \
    "build-fuzz/corpus/$target" "build-fuzz/seeds/$target"
}

replay() {  # TARGET: each committed reproducer once
  local dir=tests/fuzz/regressions/$1
  compgen -G "$dir/*" >/dev/null || return 0
  echo "== $1: replaying $(ls "$dir" | wc -l) regression inputs"
  "build-fuzz/tests/fuzz/$1" "${limits[@]}" "$dir"/* >"build-fuzz/replay-$1.log" 2>&1 ||
    { tail -n 40 "build-fuzz/replay-$1.log" >&2; echo "interdict: $1 fails on a regression input" >&2; exit 1; }
  grep -c '^Executed' "build-fuzz/replay-$1.log" | sed 's/$/ passed/'
}

[ $# -ge 1 ] || { sed -n '2,12p' "$0"; exit 2; }
if [ "$1" = --replay ]; then
  build
  chosen=${2:-all}
  [ "$chosen" = all ] && set -- "${targets[@]}" || set -- "$chosen"
  for t in "$@"; do replay "$t"; done
  exit 0
fi
[ $# -ge 2 ] || { sed -n '2,12p' "$0"; exit 2; }
chosen=$1 seconds=$2
shift 2
build
if [ "$chosen" = all ]; then
  for t in "${targets[@]}"; do run "$t" "$seconds" "$@"; done
else
  run "$chosen" "$seconds" "$@"
fi
exit
}
