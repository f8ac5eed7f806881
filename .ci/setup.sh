# Shared set-up for run.sh and test.sh: install missing Debian packages, then build.
# Sourced, not executed. Needs bash.

# Packages to build and run interdict.
INTERDICT_BUILD_PACKAGES=(cmake make g++ git pkg-config ccache libeigen3-dev libboost-dev
  libhdf5-dev zlib1g-dev libxxhash-dev libxml2-dev libtomlplusplus-dev libcli11-dev nlohmann-json3-dev
  libnanoflann-dev
  libopenmpi-dev openmpi-bin libbenchmark-dev catch2
  python3-dev pybind11-dev)  # the Python extension (sim/python)
# Extra packages for the tests and the Python analysis.
# What ./run.sh needs beyond the build: the takedown's paired effect it prints first
# (analysis/takedown_effect.py), and `import interdict` (sim/python) with the analysis package.
INTERDICT_RUN_PACKAGES=(python3 python3-numpy python3-scipy python3-h5py python3-pandas
  python3-xarray python3-h5netcdf python3-xxhash python3-matplotlib python3-tqdm)
INTERDICT_TEST_PACKAGES=(python3 python3-pytest python3-numpy python3-scipy python3-h5py python3-pandas python3-xarray
  python3-h5netcdf python3-xxhash python3-matplotlib python3-tqdm jupyter-nbconvert python3-nbclient python3-ipykernel
  python3-venv python3-networkx clang-format
  chromium  # the HTML pages (analysis/view.py) tested in a headless browser (tests/python/test_view.py)
  clang libfuzzer-14-dev libclang-rt-14-dev)  # the fuzz targets (tests/fuzz, bench/fuzz.sh)

# Installs the given Debian packages that are missing. As root on Debian, with apt-get;
# elsewhere, names what is missing and stops.
interdict_ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    if [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" != "installed" ]; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "interdict: installing ${#missing[@]} missing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    return 0
  fi
  cat >&2 <<MSG
interdict: these packages are missing: ${missing[*]}
  On Debian or Ubuntu, as root:  apt-get install ${missing[*]}
  On a cluster, load the equivalent modules instead (names vary by site), for example:
    module load cmake gcc openmpi hdf5/serial boost eigen
  and make TOML++ (>= 3), CLI11 (>= 2), nlohmann-json (>= 3), nanoflann (>= 1.4), Catch2 (v2) and Google Benchmark findable by CMake
  (CMAKE_PREFIX_PATH). See README.md, "Installing elsewhere".
MSG
  exit 1
}

# Configures and builds the Release tree in build/ (targets given, or everything).
interdict_build_release() {
  local launcher=()
  command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >build.log 2>&1 ||
    { cat build.log >&2; echo "interdict: cmake configuration failed (see above)" >&2; exit 1; }
  interdict_cmake_build build build.log "$@"
}

# Builds the tree DIR (the targets given, or everything), appending the whole output to LOG and
# showing CMake's progress lines as it goes (a first build takes minutes).
interdict_cmake_build() {
  local dir=$1 log=$2 status=0
  shift 2
  local targets=()
  for t in "$@"; do targets+=(--target "$t"); done
  echo "interdict: building $dir (full log: $log)" >&2
  cmake --build "$dir" -j "$(nproc)" "${targets[@]}" 2>&1 | tee -a "$log" |
    { grep --line-buffered -E '^\[ *[0-9]+%\] (Building|Linking)' >&2 || true; } || status=$?
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$log" >&2
    echo "interdict: build failed (full log: $log)" >&2
    exit 1
  fi
}

# Puts interdict's Python packages on /usr/bin/python3's path: a .pth file naming build/python
# (the _interdict extension), sim/python (`import interdict`) and analysis (interdict_analysis)
# of this checkout, in the system's site-packages as root, else the user's. A checkout built
# later replaces it; `pip install ./analysis` installs copies instead (docs/python.md).
interdict_install_python() {
  local root site
  root=$(pwd -P)
  if [ -n "${INTERDICT_PYTHON_SITE:-}" ]; then  # a site directory of one's own (the tests)
    site=$INTERDICT_PYTHON_SITE
  elif [ "$(id -u)" -eq 0 ]; then
    site=$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_path("purelib", "posix_local") if "posix_local" in sysconfig.get_scheme_names() else sysconfig.get_path("purelib"))')
  else
    site=$(/usr/bin/python3 -m site --user-site)
  fi
  # One line of Python (a .pth line starting with "import" is run): the tests set
  # INTERDICT_IGNORE_PTH so that they and their children see only the checkout under test.
  mkdir -p "$site" 2>/dev/null &&
    /usr/bin/python3 -c 'import sys; print("import os, sys; os.environ.get(\"INTERDICT_IGNORE_PTH\") or sys.path.extend(%r)" % [sys.argv[1] + p for p in ("/build/python", "/sim/python", "/analysis")])' \
      "$root" >"$site/interdict.pth" ||
    { echo "interdict: could not write $site/interdict.pth; use PYTHONPATH=$root/build/python:$root/sim/python:$root/analysis" >&2; return 0; }
}
