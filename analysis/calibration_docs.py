#!/usr/bin/python3
"""Runs a calibration file and writes its figures and tables into the docs.

    /usr/bin/python3 analysis/calibration_docs.py scenarios/calibration/transit-zone.toml \
        --out results/calibration-transit-zone --doc docs/calibration.md --figures docs/figures

Runs `interdict calibrate` (resuming what --out already holds), then writes
docs/figures/calibration-NAME-{posterior,pairs,fit,generations}.png and replaces the text
between `<!-- calibration: NAME -->` and `<!-- end -->` in the doc with the posterior, the fit
and the generations as Markdown tables.
"""
import argparse
import pathlib
import re
import subprocess
import sys
import time

import matplotlib

matplotlib.use("Agg")

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "analysis"))
import interdict_analysis as ia  # noqa: E402


def number(x: float) -> str:
    """Three significant digits, no exponent for everyday magnitudes."""
    if x != x:
        return "–"
    if abs(x) >= 1000 or x == int(x):
        return f"{x:,.0f}"
    return f"{x:.3g}"


def tables(cal, command: str, seconds: float) -> str:
    summary = ia.posterior_summary(cal)
    fit = ia.fit_summary(cal)
    lines = [f"Produced by `{command}` ({seconds:.0f} s on this machine); "
             f"stopped on {cal.attrs['stopped']}.", "",
             "| parameter | prior | posterior mean | 95% credible interval | width / prior's |",
             "|---|---|---|---|---|"]
    for p, row in summary.iterrows():
        lines.append(f"| `{p}` | {row['prior']} | {number(row['mean'])} | "
                     f"{number(row['low_95'])} – {number(row['high_95'])} | "
                     f"{row['width_vs_prior']:.2f} |")
    lines += ["", "| target | observed ± sd | posterior-predictive median | "
              "95% of predictive runs |", "|---|---|---|---|"]
    for t, row in fit.iterrows():
        lines.append(f"| {t} | {number(row['observed'])} ± {number(row['sd'])} | "
                     f"{number(row.get('predictive_median', float('nan')))} | "
                     f"{number(row.get('predictive_low_95', float('nan')))} – "
                     f"{number(row.get('predictive_high_95', float('nan')))} |")
    lines += ["", "| generation | tolerance | within tolerance | particles simulated | ESS |",
              "|---|---|---|---|---|"]
    for g in cal["generation"].values:
        e = float(cal["epsilon"].sel(generation=g))
        lines.append(f"| {g} | {'∞' if e == float('inf') else number(e)} | "
                     f"{100 * float(cal['acceptance_rate'].sel(generation=g)):.1f}% | "
                     f"{int(cal['simulated'].sel(generation=g))} | "
                     f"{float(cal['ess'].sel(generation=g)):.0f} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("calibration", type=pathlib.Path)
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--doc", type=pathlib.Path)
    parser.add_argument("--figures", type=pathlib.Path, default=ROOT / "docs" / "figures")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--binary", default=str(ROOT / "build" / "sim" / "cli" / "interdict"))
    parser.add_argument("--read", action="store_true",
                        help="only read the calibration --out holds (no run, no resume)")
    args = parser.parse_args()
    command = (f"interdict calibrate {args.calibration} -o {args.out} --workers {args.workers}")
    start = time.time()
    resumed = args.out.exists()
    if not args.read:
        subprocess.run([args.binary, "calibrate", args.calibration, "-o", args.out, "--workers",
                        str(args.workers), *(["--resume"] if resumed else [])], check=True)
    # The time of the run that computed the calibration, not of a resume that re-read it.
    timing = args.out / "seconds.txt"
    if not resumed:
        timing.write_text(f"{time.time() - start:.1f}\n")
    seconds = float(timing.read_text()) if timing.exists() else time.time() - start
    cal = ia.open_calibration(args.out)
    name = cal.attrs["calibration_name"]
    args.figures.mkdir(parents=True, exist_ok=True)
    for kind, plot in (("posterior", ia.plot_posterior), ("pairs", ia.plot_pairs),
                       ("fit", ia.plot_fit), ("generations", ia.plot_generations)):
        path = args.figures / f"calibration-{name}-{kind}.png"
        plot(cal).savefig(path, dpi=110)
        print("wrote", path)
    text = tables(cal, command, seconds)
    print(text)
    if args.doc:
        doc = args.doc.read_text()
        marker = re.compile(rf"(<!-- calibration: {re.escape(name)} -->\n).*?(<!-- end -->)",
                            re.S)
        if not marker.search(doc):
            sys.exit(f"{args.doc}: no <!-- calibration: {name} --> ... <!-- end --> markers")
        args.doc.write_text(marker.sub(lambda m: m.group(1) + text + m.group(2), doc))
        print("updated", args.doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
