#!/usr/bin/env python3
"""Which assumptions decide whether dismantling the Veracruz radio network pays?

    /usr/bin/python3 analysis/sensitivity_takedown.py [STUDY] [--out DIR] [--workers 2]
        [--from 250] [--to 430] [--figure docs/figures/sensitivity-takedown.png] [--read]
        [--quick]

Sweeps STUDY (default scenarios/studies/sensitivity-takedown.toml, a Morris design; its
follow-up sensitivity-takedown-sobol.toml is a Sobol design) into DIR (default
results/<study file name>) under `nice`, resuming what is there, merges it (--read: neither,
only reads DIR), and reads it: the output
is the takedown's paired relative effect on kilograms delivered over days [from, to]: at each
design point, the mean over replicates of (takedown - no action), each pair with the same random
draws (as analysis/takedown_effect.py pairs seeds), over the mean without action. It prints the mean effect, how much of its variance
is noise between replicates, and the Morris or Sobol indices of every factor with 95% bootstrap
intervals as a Markdown table, and draws the figure. --quick runs a scaled-down copy (two
trajectories or four base rows, one replicate) in a temporary directory, as the tests do.
"""
import argparse
import pathlib
import re
import subprocess
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "analysis"))
import interdict_analysis as ia  # noqa: E402

STUDY = ROOT / "scenarios" / "studies" / "sensitivity-takedown.toml"


def scaled_down(study: pathlib.Path, directory: pathlib.Path) -> pathlib.Path:
    """A copy of a study with a [morris] or [sobol] design at its smallest useful size (two
    trajectories or four base rows, one replicate), its scenario path made absolute, written to
    `directory`: a quick check that the study's set-up still plans and runs."""
    text = study.read_text()
    scenario = re.search(r'^scenario\s*=\s*"([^"]+)"', text, flags=re.M).group(1)
    text = text.replace(f'"{scenario}"', f'"{(study.parent / scenario).resolve()}"', 1)
    for key, value in (("replicates", 1), ("trajectories", 2), ("base_points", 4)):
        text = re.sub(rf"^{key}\s*=\s*\d+", f"{key} = {value}", text, flags=re.M)
    out = directory / study.name
    out.write_text(text)
    return out


def sweep(interdict: str, study: pathlib.Path, out: pathlib.Path, workers: int) -> None:
    """Runs (or resumes) the sweep under nice and merges it."""
    for command in (["sweep", study, "-o", out, "--workers", str(workers), "--resume"],
                    ["merge", out]):
        subprocess.run(["nice", interdict, *map(str, command)], check=True,
                       stdout=subprocess.DEVNULL)


def takedown_effect(study, start: float, end: float):
    """Per takedown run: delivered minus delivered without action (same point and replicate)
    over [start, end], over the mean without action at the point."""
    delivered = ia.window_values(study, "delivered_kg", (start, end))
    return ia.paired_difference(study, delivered, "takedown", "no-action", relative=True)


def short_name(key: str) -> str:
    """'organisations[0].recovery.recruitment_rate' -> 'recovery.recruitment_rate'."""
    parts = key.split(".")
    return ".".join(parts[1:]) if key.startswith("organisations[") else key


def markdown(table, method: str) -> str:
    """The indices as a Markdown table, most influential first."""
    if method == "sobol":
        head = ("| factor | S1 | 95% interval | ST | 95% interval | of which noise |\n"
                "|---|---|---|---|---|---|\n")
        row = ("| `{f}` | {r.S1:.3f} | [{r.S1_low:.3f}, {r.S1_high:.3f}] | {r.ST:.3f} | "
               "[{r.ST_low:.3f}, {r.ST_high:.3f}] | {r.ST_noise:.3f} |\n")
    else:
        head = ("| factor | mu* | 95% interval | mu | sigma | noise alone |\n"
                "|---|---|---|---|---|---|\n")
        row = ("| `{f}` | {r.mu_star:.3f} | [{r.mu_star_low:.3f}, {r.mu_star_high:.3f}] | "
               "{r.mu:+.3f} | {r.sigma:.3f} | {r.mu_star_noise:.3f} |\n")
    return head + "".join(row.format(f=short_name(f), r=r) for f, r in table.iterrows())


def analyse(directory: pathlib.Path, start: float, end: float, figure: pathlib.Path,
            bootstrap: int = 2000) -> str:
    """Reads a finished sweep and returns the report; draws the figure."""
    merged = directory / "merged.h5"
    study = ia.open_study(merged if merged.exists() else directory, series=["delivered_kg"])
    method = ia.design_of(study).method
    effect = takedown_effect(study, start, end)
    indices = ia.sobol_indices if method == "sobol" else ia.morris_indices
    table = indices(study, effect, bootstrap=bootstrap)
    noise = table.attrs
    per_point = ia.point_means(study, effect)["y"]
    lines = [f"{study.name}: {method} design, {len(study.runs)} runs "
             f"({len(per_point)} points x {study.runs['replicate'].nunique()} replicates x 2 "
             "variants)",
             f"output: takedown effect on delivered kg, days {start:g}-{end:g}, relative to no "
             "action (paired by point and replicate)",
             f"  mean over points {per_point.mean():+.3f}, range [{per_point.min():+.3f}, "
             f"{per_point.max():+.3f}]; it pays (effect < 0) at {(per_point < 0).sum()} of "
             f"{len(per_point)} points, cuts deliveries by more than a quarter at "
             f"{(per_point < -0.25).sum()}",
             "  noise between replicates: " + (
                 f"{noise['noise_share']:.0%} of a single run's variance, "
                 f"{noise['noise_in_point_means']:.0%} of the variance of point means"
                 if noise["replicates"] > 1 else "not measured (one replicate)"),
             "", markdown(table, method)]
    figure.parent.mkdir(parents=True, exist_ok=True)
    fig = ia.plot_sensitivity(table, labels={f: short_name(f) for f in table.index},
                              title=f"Takedown effect on delivered kg, days {start:g}-{end:g}: "
                                    f"{method} indices")
    fig.savefig(figure, dpi=110)
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("study", nargs="?", type=pathlib.Path, default=STUDY)
    parser.add_argument("--out", type=pathlib.Path, help="sweep directory (default "
                        "results/<study file name>)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--from", dest="start", type=float, default=250.0)
    parser.add_argument("--to", dest="end", type=float, default=430.0)
    parser.add_argument("--figure", type=pathlib.Path)
    parser.add_argument("--read", action="store_true",
                        help="only read DIR, swept and merged before (no sweep)")
    parser.add_argument("--quick", action="store_true",
                        help="a scaled-down copy in a temporary directory (a set-up check)")
    parser.add_argument("--interdict", default=str(ROOT / "build" / "sim" / "cli" / "interdict"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        study, out = args.study, args.out or ROOT / "results" / args.study.stem
        figure = args.figure or ROOT / "docs" / "figures" / f"{args.study.stem}.png"
        if args.quick:
            study = scaled_down(args.study, pathlib.Path(tmp))
            out, figure = pathlib.Path(tmp) / "sweep", args.figure or pathlib.Path(tmp) / "f.png"
        if not args.read or args.quick:
            sweep(args.interdict, study, out, args.workers)
        print(analyse(out, args.start, args.end, figure, bootstrap=200 if args.quick else 2000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
