#!/usr/bin/python3
"""Whole-run figures: wall time, events per second and peak memory of `interdict run`.

Usage: bench/scenario_runs.py [--repeat N] [--binary build/sim/cli/interdict] SCENARIO...
Prints one line per scenario with the median of N runs (each in its own process).
"""
import argparse
import json
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def one_run(binary, scenario, out):
    """Runs the scenario once; returns (seconds, events, peak_rss_kib)."""
    start = time.perf_counter()
    # A fresh child per run, so ru_maxrss of the waited-for child is this run's peak.
    pid = os.fork()
    if pid == 0:
        os.execv(binary, [binary, "run", str(scenario), "-o", str(out), "-q"])
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"interdict run {scenario} failed")
    info = json.loads(subprocess.run([binary, "inspect", str(out), "--json"], check=True,
                                     capture_output=True, text=True).stdout)
    return seconds, int(info["attributes"]["events_handled"]), usage.ru_maxrss


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="+")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--binary", default=str(ROOT / "build" / "sim" / "cli" / "interdict"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in args.scenarios:
            runs = [one_run(args.binary, scenario, pathlib.Path(tmp) / "r.h5") for _ in range(args.repeat)]
            seconds = statistics.median(r[0] for r in runs)
            events = runs[0][1]
            rss = max(r[2] for r in runs)
            print(f"scenario={pathlib.Path(scenario).name} events={events} wall_seconds={seconds:.4f} "
                  f"events_per_second={events / seconds:.0f} peak_rss_kib={rss} (median of {args.repeat}, "
                  f"whole process incl. start-up, parsing and HDF5 writing)")


if __name__ == "__main__":
    main()
