#!/usr/bin/python3
"""Sweep throughput: runs per second of `interdict sweep` with 1 and 2 workers and mpirun -n 2.

Usage: bench/sweep_throughput.py [--repeat N] [--study bench/throughput-study.toml]
Prints, per configuration, the median over N sweeps (each into a fresh directory) of the whole
command's wall time, runs per second, and the share of the sweep spent publishing results.
"""
import argparse
import os
import pathlib
import re
import statistics
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def sweep(command, out):
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    start = time.perf_counter()
    proc = subprocess.run([*command, "-o", str(out)], capture_output=True, text=True, env=env, check=True)
    seconds = time.perf_counter() - start
    runs = int(re.search(r"(\d+) runs done", proc.stdout).group(1))
    writing = float(re.search(r"\(([\d.]+)% writing results\)", proc.stdout).group(1))
    return seconds, runs, writing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--study", default=str(ROOT / "bench" / "throughput-study.toml"))
    parser.add_argument("--binary", default=str(ROOT / "build" / "sim" / "cli" / "interdict"))
    args = parser.parse_args()
    configurations = {
        "1 worker": [args.binary, "sweep", args.study, "--workers", "1"],
        "2 workers": [args.binary, "sweep", args.study, "--workers", "2"],
        "mpirun -n 2": ["mpirun", "-n", "2", args.binary, "sweep", args.study],
    }
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, command in configurations.items():
            results = [sweep(command, pathlib.Path(tmp) / f"{name}-{i}".replace(" ", "_")) for i in range(args.repeat)]
            seconds = statistics.median(r[0] for r in results)
            runs = results[0][1]
            rates[name] = runs / seconds
            print(f"{name:12s} runs={runs} seconds={seconds:.3f} runs_per_second={runs / seconds:.0f} "
                  f"writing_share={statistics.median(r[2] for r in results):.1f}% (median of {args.repeat})")
    print(f"speed-up 1 -> 2 workers: {rates['2 workers'] / rates['1 worker']:.2f}x; "
          f"1 worker -> mpirun -n 2: {rates['mpirun -n 2'] / rates['1 worker']:.2f}x")


if __name__ == "__main__":
    main()
