#!/usr/bin/env python3
"""The Veracruz takedown's paired effect over seeds, as docs/model.md section 4 reports it.

    /usr/bin/python3 analysis/takedown_effect.py [--seeds 20] [--from 250] [--to 430]
                                                  [--interdict build/sim/cli/interdict]

Runs scenarios/veracruz.toml for each seed twice, with its interventions and without them
(`--set interventions=[]`), the same seed in both (common random numbers), and prints, for the
window [from, to] (days), the mean paired difference of each quantity with a 95% Student-t
interval over seeds, next to the baseline's mean. Quantities: kilograms delivered and seized in
the window, the seizure fraction, intercepted calls, hand-offs over radio and over fallback
channels (sea and land), loads seized in raids on stashes, days the organisation had no
command, and loads held for lack of it.
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile

import h5py
import numpy as np
from scipy import stats

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "veracruz.toml"


def window(values, times, start, end):
    """The increase of a cumulative series over [start, end]."""
    return np.interp(end, times, values) - np.interp(start, times, values)


def measures(path, start, end):
    with h5py.File(path, "r") as f:
        ts = f["timeseries"]
        t = ts["time"][()]
        delivered = window(ts["delivered_kg"][()], t, start, end)
        seized = window(ts["seized_kg"][()], t, start, end)
        inside = (t >= start) & (t < end)
        return {
            "delivered kg": delivered,
            "seized kg": seized,
            "seizure fraction": seized / (seized + delivered) if seized + delivered else np.nan,
            "intercepted calls": window(ts["leaks"][()], t, start, end),
            "hand-offs over radio": window(ts["handoffs_radio"][()], t, start, end),
            "hand-off attempts over fallback": window(ts["handoffs_fallback"][()], t, start, end),
            "stash raids": window(ts["stash_raids"][()], t, start, end),
            "days without command": float(np.sum(ts["headless_organisations"][()][inside])),
        }


def run(interdict, seed, out, baseline):
    command = [interdict, "run", str(SCENARIO), "--seed", str(seed), "-o", str(out), "-q"]
    if baseline:
        command += ["--set", "interventions=[]"]
    subprocess.run(command, check=True, capture_output=True, text=True)


def paired(values):
    """Baseline mean, mean paired difference and its 95% Student-t half-width."""
    base = np.array(values[True], dtype=float)
    diff = np.array(values[False], dtype=float) - base
    half = float(stats.t.ppf(0.975, len(diff) - 1) * np.std(diff, ddof=1) / np.sqrt(len(diff)))
    return float(np.mean(base)), float(np.mean(diff)), half


def brief(rows, args) -> int:
    base, diff, half = paired(rows["delivered kg"])
    seized_base, seized, seized_half = paired(rows["seized kg"])
    print(f"Does the 2011 takedown cut deliveries? {args.seeds} pairs of runs of "
          f"scenarios/veracruz.toml, with and without its interventions, each pair with the same "
          f"random numbers, days {args.start:g}-{args.end:g}:")
    print(f"  delivered  {diff:+,.0f} kg (95% interval {diff - half:+,.0f} to {diff + half:+,.0f}), "
          f"{100 * diff / base:+.0f}% of the {base:,.0f} kg delivered without them")
    print(f"  seized     {seized:+,.0f} kg (95% interval {seized - seized_half:+,.0f} to "
          f"{seized + seized_half:+,.0f})")
    print("  (the whole table: analysis/takedown_effect.py; the model's limits: docs/model.md, "
          "docs/sensitivity.md)")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--from", dest="start", type=float, default=250.0)
    parser.add_argument("--to", dest="end", type=float, default=430.0)
    parser.add_argument("--interdict", default=str(ROOT / "build" / "sim" / "cli" / "interdict"))
    parser.add_argument("--brief", action="store_true",
                        help="two sentences on deliveries and seizures (what ./run.sh prints)")
    args = parser.parse_args()
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(1, args.seeds + 1):
            for baseline in (True, False):
                out = pathlib.Path(tmp) / f"{seed}-{baseline}.h5"
                run(args.interdict, seed, out, baseline)
                for name, value in measures(out, args.start, args.end).items():
                    rows.setdefault(name, {True: [], False: []})[baseline].append(value)
    if args.brief:
        return brief(rows, args)
    print(f"scenarios/veracruz.toml, days {args.start:g}-{args.end:g}, seeds 1-{args.seeds}: "
          "with the interventions minus without (same seed), mean and 95% interval")
    print(f"{'quantity':34} {'baseline':>12} {'difference':>12} {'95% interval':>26}")
    for name, values in rows.items():
        base = np.array(values[True], dtype=float)
        diff = np.array(values[False], dtype=float) - base
        mean = float(np.mean(diff))
        half = float(stats.t.ppf(0.975, len(diff) - 1) * np.std(diff, ddof=1) / np.sqrt(len(diff)))
        print(f"{name:34} {np.mean(base):12.3f} {mean:12.3f}   [{mean - half:10.3f}, "
              f"{mean + half:10.3f}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
