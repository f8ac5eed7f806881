#!/usr/bin/python3
"""Whole-run figures: wall time, events per second and peak memory of `interdict run`.

Usage: bench/scenario_runs.py [--repeat N] [--set KEY=VALUE ...] [--binary PATH] SCENARIO...
Prints one line per scenario with medians over N runs, each in its own process: the event
loop's time and rate (as `interdict run` reports them), the whole process's wall time
(start-up, parsing or generating the network, the run, writing HDF5) and its peak memory.
"""
import argparse
import json
import os
import pathlib
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def run_child(binary, scenario, out, overrides):
    """`interdict run` in a fresh child, so that ru_maxrss of the waited-for child is this run's
    peak; returns (process seconds, its report, peak_rss_kib)."""
    read, write = os.pipe()
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        os.dup2(write, 1)
        sets = [arg for o in overrides for arg in ("--set", o)]
        os.execv(binary, [binary, "run", str(scenario), "-o", str(out), *sets])
    os.close(write)
    with os.fdopen(read) as pipe:
        text = pipe.read()
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"interdict run {scenario} failed:\n{text}")
    return seconds, text, usage.ru_maxrss


def one_run(binary, scenario, out, overrides):
    """Runs the scenario once; returns (process seconds, events, loop seconds, peak_rss_kib)."""
    seconds, text, rss = run_child(binary, scenario, out, overrides)
    match = re.search(r"(\d+) events in .*\(event loop ([\d.]+) (ms|s)", text)
    if not match:
        sys.exit(f"cannot read the run report:\n{text}")
    loop = float(match.group(2)) / (1e3 if match.group(3) == "ms" else 1.0)
    return seconds, int(match.group(1)), loop, rss


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="+")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--set", action="append", default=[], dest="overrides", metavar="KEY=VALUE")
    parser.add_argument("--binary", default=str(ROOT / "build" / "sim" / "cli" / "interdict"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in args.scenarios:
            runs = [one_run(args.binary, scenario, pathlib.Path(tmp) / "r.h5", args.overrides)
                    for _ in range(args.repeat)]
            seconds = statistics.median(r[0] for r in runs)
            events = runs[0][1]
            loop = statistics.median(r[2] for r in runs)
            rss = max(r[3] for r in runs)
            print(f"scenario={pathlib.Path(scenario).name} {' '.join(args.overrides)} events={events} "
                  f"loop_seconds={loop:.4f} loop_events_per_second={events / loop:.0f} "
                  f"process_seconds={seconds:.4f} peak_rss_kib={rss} (medians of {args.repeat})")


if __name__ == "__main__":
    main()
