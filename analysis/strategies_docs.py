#!/usr/bin/python3
"""Writes the strategies tables of docs/strategies.md and docs/analysis.md from the study.

    ./run.sh sweep scenarios/studies/strategies.toml -o results/strategies --resume
    /usr/bin/python3 analysis/strategies_docs.py results/strategies

Replaces the text between `<!-- generated: strategies-table -->` and `<!-- end -->` in
docs/strategies.md (two-year totals and paired differences of every variant) and between
`<!-- generated: paired-table -->` and `<!-- end -->` in docs/analysis.md (paired against
unpaired intervals), so the numbers the prose discusses are the study's.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "analysis"))
import interdict_analysis as ia  # noqa: E402


def kg(x: float) -> str:
    return f"{x:,.0f}".replace("-", "−")


def interval(row) -> str:
    return f"{kg(row['diff_mean'])} ({kg(row['diff_ci_low'])} to {kg(row['diff_ci_high'])})"


def strategies_table(study) -> str:
    delivered = ia.compare(study, "delivered_kg", baseline="no-action")
    arrests = ia.compare(study, "arrests")
    seized = ia.compare(study, "seized_kg")
    lines = ["| variant | delivered kg | difference (95%) | relative | arrests | seized kg |",
             "|---|---|---|---|---|---|"]
    for v in study.variants:
        row = delivered.loc[v]
        diff = "–" if v == "no-action" else interval(row)
        relative = "–" if v == "no-action" else f"{100 * row['diff_relative']:+.1f}%".replace("-", "−")
        lines.append(f"| {v} | {kg(row['mean'])} | {diff} | {relative} | "
                     f"{arrests.loc[v, 'mean']:.0f} | {kg(seized.loc[v, 'mean'])} |")
    return "\n".join(lines) + "\n"


def paired_table(study) -> str:
    delivered = ia.compare(study, "delivered_kg", baseline="no-action")
    lines = ["| variant | mean delivered kg | paired difference to no-action (95%) | "
             "unpaired half-width |", "|---|---|---|---|"]
    for v in study.variants:
        row = delivered.loc[v]
        if v == "no-action":
            lines.append(f"| {v} | {kg(row['mean'])} | – | – |")
        else:
            lines.append(f"| {v} | {kg(row['mean'])} | {interval(row)} | "
                         f"{kg(row['diff_ci_halfwidth_unpaired'])} |")
    return "\n".join(lines) + "\n"


def replace(doc: pathlib.Path, name: str, text: str) -> None:
    marker = re.compile(rf"(<!-- generated: {name} -->\n).*?(<!-- end -->)", re.S)
    content = doc.read_text()
    if not marker.search(content):
        sys.exit(f"{doc}: no <!-- generated: {name} --> ... <!-- end --> markers")
    doc.write_text(marker.sub(lambda m: m.group(1) + text + m.group(2), content))
    print("updated", doc)


def main(study_dir: str) -> int:
    study = ia.open_study(study_dir)
    replace(ROOT / "docs" / "strategies.md", "strategies-table", strategies_table(study))
    replace(ROOT / "docs" / "analysis.md", "paired-table", paired_table(study))
    print(strategies_table(study))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "results" / "strategies")))
