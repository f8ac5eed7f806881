#!/usr/bin/python3
"""Coverage of `interdict calibrate` on a case with a known answer.

Each repeat makes synthetic observations from one run of scenarios/minimal.toml at known
parameters (its own seed), calibrates the source rate and the patrol's detection probability to
them (shipments a month and the share seized), and records whether the central 50%, 90% and 95%
credible intervals cover the truth. With exact posteriors the coverage rates equal the levels;
ABC's tolerance widens posteriors, so rates at or above the levels are what a correct
calibration shows, and rates well below them mean a biased posterior. Prints a Markdown table
with Clopper-Pearson 95% intervals of each rate (docs/calibration.md quotes it).

    /usr/bin/python3 bench/calibration_coverage.py [--repeats 50] [--workers 2]
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
from scipy import stats

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "analysis"))
import interdict_analysis as ia  # noqa: E402

MINIMAL = ROOT / "scenarios" / "minimal.toml"
TRUTH = {"sources[0].rate": 0.6, "patrols[0].detection_probability": 0.25}
LEVELS = (0.5, 0.9, 0.95)


def observe(binary, out, seed):
    """Shipments a month and the share of kilograms seized of one run at the truth."""
    sets = [a for k, v in TRUTH.items() for a in ("--set", f"{k}={v}")]
    subprocess.run([binary, "run", MINIMAL, "-o", out, "-q", "--seed", str(10_000 + seed), *sets],
                   check=True)
    with h5py.File(out, "r") as f:
        t = f["timeseries/time"][:]
        shipments = f["timeseries/shipments_produced"][:]
        seized, delivered = f["timeseries/seized_kg"][:], f["timeseries/delivered_kg"][:]
    rate = (shipments[-1] - shipments[0]) / (t[-1] - t[0]) * 30.4375
    share = (seized[-1] - seized[0]) / ((seized[-1] - seized[0]) + (delivered[-1] - delivered[0]))
    return rate, share


def calibration(rate, share, seed, particles, generations):
    return f"""
[calibration]
scenario = "{MINIMAL}"
particles = {particles}
replicates = 1
generations = {generations}
seed = {seed}
predictive = 0

[[parameters]]
key = "sources[0].rate"
low = 0.1
high = 2.0

[[parameters]]
key = "patrols[0].detection_probability"
low = 0.02
high = 0.6

[[targets]]
metric = "shipments_produced"
statistic = "rate_per_month"
observed = {rate}
sd = 1.0

[[targets]]
metric = "seized_kg"
statistic = "share"
of = ["seized_kg", "delivered_kg"]
observed = {share}
sd = 0.03
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--particles", type=int, default=100)
    parser.add_argument("--generations", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--binary", default=str(ROOT / "build" / "sim" / "cli" / "interdict"))
    args = parser.parse_args()
    covered = {(p, level): 0 for p in TRUTH for level in LEVELS}
    widths = {p: [] for p in TRUTH}
    start = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        for r in range(args.repeats):
            rate, share = observe(args.binary, tmp / f"truth-{r}.h5", r)
            cal = tmp / f"cal-{r}.toml"
            cal.write_text(calibration(rate, share, r + 1, args.particles, args.generations))
            subprocess.run([args.binary, "calibrate", cal, "-o", tmp / f"out-{r}", "--workers",
                            str(args.workers)], check=True, capture_output=True)
            ds = ia.open_calibration(tmp / f"out-{r}")
            for p, truth in TRUTH.items():
                for level in LEVELS:
                    lo, hi = ia.credible_interval(ds, p, level=level)
                    covered[(p, level)] += lo <= truth <= hi
                lo, hi = ia.credible_interval(ds, p, level=0.95)
                widths[p].append(hi - lo)
            ds.close()
    n = args.repeats
    print(f"{n} calibrations ({args.particles} particles, {args.generations} generations, "
          f"1 replicate), {time.time() - start:.0f} s\n")
    print("| parameter | truth | prior | 95% interval width (mean) | "
          + " | ".join(f"{int(level * 100)}% interval covers" for level in LEVELS) + " |")
    print("|---|---|---|---|" + "---|" * len(LEVELS))
    priors = {"sources[0].rate": "uniform(0.1, 2)",
              "patrols[0].detection_probability": "uniform(0.02, 0.6)"}
    for p, truth in TRUTH.items():
        cells = []
        for level in LEVELS:
            k = covered[(p, level)]
            lo = stats.beta.ppf(0.025, k, n - k + 1) if k > 0 else 0.0
            hi = stats.beta.ppf(0.975, k + 1, n - k) if k < n else 1.0
            cells.append(f"{k}/{n} ({lo:.2f}-{hi:.2f})")
        print(f"| `{p}` | {truth} | {priors[p]} | {np.mean(widths[p]):.3f} | "
              + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
