"""A report for people who do not use notebooks: the standard plots as PNG files and a short
Markdown summary.

    /usr/bin/python3 analysis/report.py results/veracruz.h5 -o report/
    /usr/bin/python3 analysis/report.py results/strategies -o report/ --baseline no-action
"""
from __future__ import annotations

import argparse
import math
import pathlib
import sys
from typing import Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .formatting import format_interval, format_number  # noqa: E402
from .plots import plot_comparison, plot_network, plot_response, plot_timeseries  # noqa: E402
from .results import FormatError, Run, Study, open_result  # noqa: E402
from .stats import compare  # noqa: E402

KEY_METRICS = ["delivered_kg", "seized_kg", "seizure_fraction", "arrests", "revenue_usd"]


def _save(fig, directory: pathlib.Path, name: str, written: list) -> str:
    path = directory / f"{name}.png"
    fig.savefig(path, dpi=100, bbox_inches="tight")  # nothing cut at the edges
    plt.close(fig)
    written.append(path)
    return path.name


def _number(x) -> str:
    return format_number(x)


def _safe(text) -> str:
    return "".join(c if c.isalnum() else "_" for c in str(text))


def _markdown_table(header, rows) -> list:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_number(v) for v in row) + " |" for row in rows]
    return lines


def _run_report(run: Run, out: pathlib.Path, written: list) -> list:
    md = [f"# {run.name}: single run", "",
          f"Scenario `{run.attrs.get('scenario_path', '')}`, seed {run.attrs.get('seed')}, "
          f"replicate {run.attrs.get('replicate')}, {run.attrs.get('duration_days'):g} days, "
          f"interdict {run.attrs.get('software_version')} ({run.attrs.get('git_commit')}).", "",
          "## Summary", ""]
    md += _markdown_table(["metric", "value"], list(run.summary.items()))
    md += ["", "## Flows", ""]
    for metric in ("delivered_kg", "seized_kg"):
        name = _save(plot_timeseries(run, metric, per_day=True), out, f"{metric}_per_day", written)
        md.append(f"![{metric} per day]({name})")
    for metric in ("relays_up", "active_members"):
        if metric in run.timeseries:
            name = _save(plot_timeseries(run, metric), out, metric, written)
            md.append(f"![{metric}]({name})")
    md += ["", "## Interventions", ""]
    if len(run.interventions):
        log = run.interventions
        columns = [c for c in ("time", "id", "action", "targets", "arrests", "cost") if c in log]
        md += _markdown_table(columns, log[columns].itertuples(index=False))
        if run.network is not None:
            first = float(log["time"].iloc[0])
            end = float(run.timeseries["time"].values[-1])
            later = [t for t in (first + 50, first + 190) if t <= end]
            fig = plot_network(run, after=later or None)
            md += ["", f"![network]({_save(fig, out, 'network', written)})"]
    else:
        md.append("None fired.")
    return md


def _study_report(study: Study, out: pathlib.Path, written: list,
                  baseline: Optional[str]) -> list:
    ok = study.runs[study.runs["status"] == "ok"]
    variants = study.variants
    if baseline is None and variants:
        baseline = variants[0]
    md = [f"# {study.name}: study", "",
          f"{len(study.runs)} runs ({len(ok)} ok, {len(study.runs) - len(ok)} failed, "
          f"{len(study.missing)} planned runs missing), variants: {', '.join(variants)}; "
          f"varied parameters: {', '.join(study.parameters) or 'none'}. Intervals are 95% "
          f"t intervals over replicates; differences are paired with the baseline run of the "
          f"same replicate and conditions (`{baseline}`).", ""]
    for metric in [m for m in KEY_METRICS if m in study.runs]:
        table = compare(study, metric, baseline=baseline if len(variants) > 1 else None)
        md += [f"## {metric}", ""]
        header = ["variant", "n", "mean", "95% interval"]
        if "diff_mean" in table:
            header += [f"difference to {baseline}", "95% interval", "relative"]
        rows = []
        for variant, r in table.iterrows():
            row = [str(variant), int(r["n"]), r["mean"],
                   format_interval(r["ci_low"], r["ci_high"])]
            if "diff_mean" in table and variant == baseline:
                row += ["(baseline)", "–", "–"]
            elif "diff_mean" in table:
                row += [r["diff_mean"], format_interval(r["diff_ci_low"], r["diff_ci_high"]),
                        f"{r['diff_relative']:+.1%}" if math.isfinite(r["diff_relative"])
                        else "–"]
            rows.append(row)
        md += _markdown_table(header, rows)
        if len(variants) > 1:
            fig = plot_comparison(study, metric, baseline=baseline)
            md += ["", f"![{metric} by variant]({_save(fig, out, f'compare_{metric}', written)})"]
        md.append("")
    md += ["## Over time", ""]
    for metric in ("delivered_kg", "seized_kg"):
        fig = plot_timeseries(study, metric, per_day=True)
        md.append(f"![{metric} per day]({_save(fig, out, f'{metric}_per_day', written)})")
        if len(variants) > 1:  # what each variant changed, run against its paired baseline run
            fig = plot_timeseries(study, metric, per_day=True, baseline=baseline)
            name = _save(fig, out, f"{metric}_per_day_minus_{_safe(baseline)}", written)
            md.append(f"![{metric} per day, paired difference to {baseline}]({name})")
    numeric = [p for p in study.parameters
               if p in ok and ok[p].dtype.kind == "f" and ok[p].nunique() > 1]
    if numeric:
        md += ["", "## Response to the swept parameters", ""]
        for p in numeric[:2]:
            fig = plot_response(study, "delivered_kg", p, by="variant")
            md.append(f"![delivered_kg against {p}]"
                      f"({_save(fig, out, f'response_{_safe(p)}', written)})")
            if len(variants) > 1:
                fig = plot_response(study, "delivered_kg", p, by="variant", baseline=baseline)
                name = _save(fig, out, f"response_{_safe(p)}_minus_{_safe(baseline)}", written)
                md.append(f"![delivered_kg against {p}, difference to {baseline}]({name})")
        if len(numeric) >= 2:
            fig = plot_response(study, "delivered_kg", numeric[0], numeric[1])
            md.append(f"![heat map]({_save(fig, out, 'response_heatmap', written)})")
    return md


def write_report(result_path, out_dir, baseline: Optional[str] = None) -> list:
    """Writes report.md and its PNG figures for a run or a study (a file or directory, or a Run
    or Study already opened or made in memory by `interdict.run`) into out_dir; returns the
    paths written."""
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = open_result(result_path)
    written: list = []
    md = (_run_report(result, out, written) if isinstance(result, Run)
          else _study_report(result, out, written, baseline))
    source = (result_path if isinstance(result_path, (str, pathlib.Path))
              else result.label if isinstance(result, Run) else "a study in memory")
    md += ["", f"_Made by interdict_analysis from `{source}`._", ""]
    report = out / "report.md"
    report.write_text("\n".join(md), encoding="utf-8")
    written.insert(0, report)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="interdict-report",
        description="Write the standard plots (PNG) and a Markdown summary of an interdict "
                    "result: a run file, a study directory or a merged study file.")
    parser.add_argument("result", help="result file or study directory")
    parser.add_argument("-o", "--output", default="report", help="output directory (report/)")
    parser.add_argument("--baseline", help="variant to compare against (default: the first)")
    args = parser.parse_args(argv)
    try:
        written = write_report(args.result, args.output, args.baseline)
    except (FormatError, FileNotFoundError, KeyError) as e:
        message = e.args[0] if isinstance(e, KeyError) and e.args else e
        print(f"interdict-report: error: {message}", file=sys.stderr)
        return 1
    print(f"wrote {written[0]} and {len(written) - 1} figures to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
