#!/usr/bin/python3
"""What running from Python costs beside the CLI: `interdict.run(...)` in a warm interpreter
(the run, its HDF5 image in memory and the Run built from it) against `interdict run` in a
fresh process writing its file, and the same for a study (`interdict.sweep` against
`interdict sweep`, in temporary directories). Medians over --repeat, measured side by side
(alternating), so the machine's load falls on both alike.

Usage: bench/python_runs.py [--repeat N] [--binary PATH]
"""
import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "build/python"), str(ROOT / "sim/python"), str(ROOT / "analysis")]

import interdict  # noqa: E402

CASES = [
    ("run", "scenarios/veracruz.toml", {}),
    ("run", "scenarios/synthetic.toml", {"simulation.duration": 3650,
                                         "generate.shipment_rate": 20, "generate.cells": 1000}),
    ("sweep", "scenarios/studies/strategies.toml", {}),
]


def cli(binary, kind, path, overrides, scratch):
    args = [binary, kind, str(ROOT / path), "-o", str(scratch / ("out.h5" if kind == "run"
                                                                  else "sweep")), "-q"]
    if kind == "sweep":
        args = args[:-1] + ["--workers", "2"]
    for k, v in overrides.items():
        args += ["--set", f"{k}={interdict.toml_value(v)}"]
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def python(kind, path, overrides, scratch):
    start = time.perf_counter()
    if kind == "run":
        interdict.run(ROOT / path, set=overrides)
    else:
        interdict.sweep(ROOT / path, scratch / "py-sweep", workers=2, progress=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--binary", default=str(ROOT / "build/sim/cli/interdict"))
    a = parser.parse_args()
    print(f"{'what':<48} {'CLI s':>8} {'Python s':>9} {'Python/CLI':>11}")
    for kind, path, overrides in CASES:
        times = {"cli": [], "python": []}
        for _ in range(a.repeat):
            with tempfile.TemporaryDirectory() as d:
                times["cli"].append(cli(a.binary, kind, path, overrides, pathlib.Path(d)))
            with tempfile.TemporaryDirectory() as d:
                times["python"].append(python(kind, path, overrides, pathlib.Path(d)))
        c, p = statistics.median(times["cli"]), statistics.median(times["python"])
        label = f"{kind} {path}" + (" (" + ", ".join(f"{k}={v}" for k, v in overrides.items())
                                    + ")" if overrides else "")
        print(f"{label[:48]:<48} {c:>8.3f} {p:>9.3f} {p / c:>11.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
