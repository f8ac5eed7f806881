#!/usr/bin/python3
"""Scaling benchmark: one simulated year of bench/large.toml scaled from 1,000 to 1,000,000 cells.

Usage: bench/scaling.py [--sizes 1000,10000,...] [--set KEY=VALUE ...] [--binary PATH]
                        [--reference PATH] [--repeat N]

The recipe (issue 16): places = cells / 5, vessels = cells / 10, relays and patrols = cells / 50;
ports, sources, markets and organisations as in bench/large.toml. Each size is run in its own
process and reported as one row of a Markdown table:
  whole      the `interdict run` command, start to exit (wall)
  generate   `interdict validate` of the same scenario: reading it and generating the network
  set-up     building the model (as `interdict run` reports it)
  loop       the event loop alone, its events and rate
  rest       the whole minus the other three: writing HDF5, start-up
  peak RSS   of the run's process (ru_maxrss)
  in transit loads still under way at the end, as a share of those produced: a network whose
             carriers keep up leaves a few per cent (about the mean delivery time over a year)
With --reference, each size is also run with that binary, and the whole and loop ratios
(this binary / reference) are printed beside it: the two runs of a size follow each other, so
the machine's load is about the same for both. Medians over --repeat runs.
"""
import argparse
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time

from scenario_runs import run_child

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "bench" / "large.toml"


def recipe(cells):
    """The scaled generator keys for `cells` cells."""
    return [f"generate.cells={cells}", f"generate.places={max(cells // 5, 60)}",
            f"generate.vessels={max(cells // 10, 1)}", f"generate.relays={max(cells // 50, 4)}",
            f"generate.patrols={max(cells // 50, 1)}"]


def sets(overrides):
    return [arg for o in overrides for arg in ("--set", o)]


def run_once(binary, overrides, out):
    """One run of the scaled scenario; returns a dict of figures."""
    start = time.perf_counter()
    validate = subprocess.run([binary, "validate", str(SCENARIO), *sets(overrides)],
                              capture_output=True, text=True)
    generate = time.perf_counter() - start
    if validate.returncode != 0:
        sys.exit(f"interdict validate failed:\n{validate.stderr}")
    whole, text, rss_kib = run_child(binary, SCENARIO, out, overrides)

    def seconds(pattern):
        match = re.search(pattern + r" ([\d.]+) (ms|s)", text)
        if not match:
            return float("nan")
        return float(match.group(1)) / (1e3 if match.group(2) == "ms" else 1.0)

    events = int(re.search(r"(\d+) events in", text).group(1))
    produced = int(re.search(r"produced +\d+ +(\d+)", text).group(1))
    in_transit = int(re.search(r"in transit +\d+ +(\d+)", text).group(1))
    return {"whole": whole, "generate": generate, "setup": seconds("model set-up"),
            "loop": seconds(r"\(event loop"), "events": events, "rss_mib": rss_kib / 1024,
            "in_transit": in_transit / max(produced, 1)}


def median_run(binary, overrides, out, repeat):
    runs = [run_once(binary, overrides, out) for _ in range(repeat)]
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def duration(s):
    return f"{s * 1e3:.0f} ms" if s < 1 else f"{s:.1f} s"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--set", action="append", default=[], dest="overrides", metavar="KEY=VALUE")
    parser.add_argument("--binary", default=str(ROOT / "build" / "sim" / "cli" / "interdict"))
    parser.add_argument("--reference", help="a second binary to run beside it")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    header = ("| cells | whole | generate | set-up | loop | rest | events | events/s (loop) "
              "| peak RSS | in transit |")
    if args.reference:
        header += " whole / reference | loop / reference | reference peak RSS |"
    print("recipe: places = cells/5, vessels = cells/10, relays = patrols = cells/50",
          *args.overrides)
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "run.h5"
        for cells in sizes:
            overrides = recipe(cells) + args.overrides
            r = median_run(args.binary, overrides, out, args.repeat)
            rest = r["whole"] - r["generate"] - r["setup"] - r["loop"]
            row = (f"| {cells:,} | {duration(r['whole'])} | {duration(r['generate'])} "
                   f"| {duration(r['setup'])} | {duration(r['loop'])} | {duration(max(rest, 0))} "
                   f"| {r['events']:,} | {r['events'] / r['loop'] / 1e6:.2f} million "
                   f"| {r['rss_mib']:.0f} MiB | {100 * r['in_transit']:.1f}% |")
            if args.reference:
                ref = median_run(args.reference, overrides, out, args.repeat)
                row += (f" {r['whole'] / ref['whole']:.2f} | {r['loop'] / ref['loop']:.2f} "
                        f"| {ref['rss_mib']:.0f} MiB |")
            print(row, flush=True)


if __name__ == "__main__":
    main()
