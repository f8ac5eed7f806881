#!/usr/bin/env python3
"""Regenerates the figures of docs/analysis.md from the strategies study and one Veracruz run:

    ./run.sh sweep scenarios/studies/strategies.toml -o results/strategies --resume
    ./run.sh run scenarios/veracruz.toml -o results/veracruz.h5 --seed 2011
    /usr/bin/python3 analysis/docs_figures.py results/strategies results/veracruz.h5 docs/figures
"""
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import interdict_analysis as ia  # noqa: E402


def main(study_dir, run_file, out_dir):
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    study, run = ia.open_study(study_dir), ia.open_run(run_file)
    figures = {
        # Six variants as small multiples (no action in grey in each), interventions above.
        "strategies_delivered_per_day.png":
            ia.plot_timeseries(study, "delivered_kg", per_day=True),
        "strategies_delivered_paired.png":
            ia.plot_timeseries(study, "delivered_kg", per_day=True, baseline="no-action"),
        "strategies_comparison.png":
            ia.plot_comparison(study, "delivered_kg", baseline="no-action"),
        # Before the takedown, 50 days after it (relays down), and after the rebuild (day 430).
        "veracruz_network.png":
            ia.plot_network(run, at="navy-takedown-2011", after=[300, 440]),
    }
    for name, fig in figures.items():
        fig.savefig(out / name, dpi=80, bbox_inches="tight")
        print(out / name)


if __name__ == "__main__":
    main(*sys.argv[1:4])
