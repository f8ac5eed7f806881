"""A run or a study as one self-contained HTML page for the browser, with no network access:

    /usr/bin/python3 analysis/view.py results/veracruz.h5 -o veracruz.html
    /usr/bin/python3 analysis/view.py results/strategies -o strategies.html

A run's page shows the network on the map with a time slider and a play button: relays up and
down, cells emptied and refilled, vessels seized and replaced, flows on the routes and
seizures as they happen (when the file records them), the interventions as they fire, and the
main time series with the current time marked. A study's page shows each variant's key
metrics with 95% intervals over replicates, the paired differences to the baseline and the
mean time series; one click on a variant opens the page of one of its runs, which is run
again with the interdict binary (a study file keeps no network) and checked against the
study's row for that run.

The page is view.css, view.js and the data as JSON, inlined: no URL of any kind.
"""
from __future__ import annotations

import argparse
import html
import json
import math
import os
import pathlib
import shlex
import shutil
import subprocess
import sys
import tempfile
import tomllib
import warnings
from typing import Optional, Union

import numpy as np
import pandas as pd

from .plots import _map_window, _with_rate, network_layout
from .results import FormatError, Run, Study, open_result, open_run
from .stats import compare, compare_series

PathLike = Union[str, pathlib.Path]

#: End-of-run metrics of a study's table and interval chart (those the study has).
STUDY_METRICS = ["delivered_kg", "seized_kg", "seizure_fraction", "arrests", "revenue_usd"]
#: Time series of a study's chart: (metric, per day); cumulative kilograms as daily rates.
STUDY_SERIES = [("delivered_kg", True), ("seized_kg", True), ("arrests", False),
                ("relays_up", False), ("active_cells", False)]
#: Window of the daily rates (days), as in plot_timeseries(per_day=True).
RATE_WINDOW = 30.0
#: At most this many samples of each series are embedded (every k-th sample beyond).
MAX_RUN_SAMPLES = 1000
MAX_STUDY_SAMPLES = 400
#: Significant digits of the embedded numbers (the page shows three).
DIGITS = 6
#: Width of the map in SVG units (at most); its height follows the map's shape.
MAP_WIDTH = 1000.0
#: Relays, cells and vessels sit on rings 1, 2 and 3 around their place, _RING map units apart.
_RINGS = {"relay": 1.0, "cell": 2.0, "vessel": 3.0}
_RING = 14.0
#: Above this many social ties, they are left off the map (stated on the page).
MAX_SOCIAL_TIES = 3000

_HERE = pathlib.Path(__file__).resolve().parent
_ROOT = _HERE.parents[1]  # the checkout, when the package is used in place


# --- numbers for JSON ----------------------------------------------------------------------

def _number(x):
    """A float rounded to DIGITS significant digits, NaN and infinities as None (JSON null)."""
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x):
        return None
    return float(f"{x:.{DIGITS}g}")


def _numbers(values) -> list:
    return [_number(v) for v in np.asarray(values, dtype=float)]


def _stride(n: int, limit: int) -> int:
    return max(1, math.ceil(n / limit))


# --- a run ---------------------------------------------------------------------------------

def _run_name(run: Run) -> str:
    name = run.attrs.get("scenario_name")
    if name:
        return str(name)
    path = getattr(run, "path", None)
    return pathlib.Path(path).stem if path else "run"


def _map(network) -> dict:
    """Nodes, ties and off-map places in map units (x to the east, y down, MAP_WIDTH wide):
    places where plot_network puts them (their coordinates, or a spring layout of the routes),
    cropped as it crops them, and relays, cells and vessels on rings around their place."""
    nodes = network.nodes
    pos = network_layout(network)
    window = _map_window(network, pos)
    geographic = bool(len(nodes) and "longitude" in nodes and nodes["longitude"].notna().all()
                      and nodes["latitude"].notna().all())
    shrink = 1.0
    if geographic:  # a degree of longitude is shorter than one of latitude, by cos(latitude)
        shrink = max(math.cos(math.radians(float(nodes["latitude"].mean()))), 0.1)
    is_place = (nodes["kind"] == "place").to_numpy()
    xy = np.column_stack([pos[:, 0] * shrink, -pos[:, 1]]) if len(pos) else np.zeros((0, 2))
    if window is not None:
        x0, x1 = window[0] * shrink, window[1] * shrink
        y0, y1 = -window[3], -window[2]
    elif is_place.any():
        (x0, y0), (x1, y1) = xy[is_place].min(axis=0), xy[is_place].max(axis=0)
    else:
        x0, x1, y0, y1 = 0.0, 1.0, 0.0, 1.0
    # Scale to the width, or to at most 1.6 widths high; a margin for the rings and labels.
    margin = 4 * _RING
    scale = min((MAP_WIDTH - 2 * margin) / max(x1 - x0, 1e-9),
                (1.6 * MAP_WIDTH - 2 * margin) / max(y1 - y0, 1e-9))
    height = max((y1 - y0) * scale + 2 * margin, 0.4 * MAP_WIDTH)
    width = max((x1 - x0) * scale + 2 * margin, 0.4 * MAP_WIDTH)  # narrower when tall
    mx = (xy[:, 0] - (x0 + x1) / 2) * scale + width / 2
    my = (xy[:, 1] - (y0 + y1) / 2) * scale + height / 2
    place_row = {pid: i for i, pid in zip(np.flatnonzero(is_place), nodes.loc[is_place, "id"])}
    kinds, places = nodes["kind"].to_numpy(), nodes["place"].to_numpy()
    for kind, ring in _RINGS.items():
        rows = np.flatnonzero(kinds == kind)
        for place in dict.fromkeys(places[rows]):
            members = rows[places[rows] == place]
            if place not in place_row:
                continue  # a node at an unknown place stays where network_layout put it
            centre = place_row[place]
            angles = 2 * np.pi * np.arange(len(members)) / len(members) + ring
            mx[members] = mx[centre] + ring * _RING * np.cos(angles)
            my[members] = my[centre] + ring * _RING * np.sin(angles)
    offmap = []
    for i in np.flatnonzero(is_place):
        if 0 <= mx[i] <= width and 0 <= my[i] <= height:
            continue
        # Where the line from the map's centre to the place leaves the map.
        dx, dy = mx[i] - width / 2, my[i] - height / 2
        s = min(abs((width / 2) / dx) if dx else math.inf,
                abs((height / 2) / dy) if dy else math.inf)
        offmap.append({"id": str(nodes["id"].iat[i]), "x": _number(width / 2 + 0.96 * s * dx),
                       "y": _number(height / 2 + 0.96 * s * dy), "dx": _number(dx),
                       "dy": _number(dy)})
    ties = network.ties
    social = int((ties["kind"] == "social").sum())
    if social > MAX_SOCIAL_TIES:
        ties = ties[ties["kind"] != "social"]
    changes = network.changes.sort_values("time", kind="stable")
    return {
        "width": _number(width), "height": _number(height), "geographic": geographic,
        "nodes": {"id": list(nodes["id"].astype(str)), "kind": list(nodes["kind"].astype(str)),
                  "detail": list(nodes["detail"].astype(str)),
                  "place": list(nodes["place"].astype(str)),
                  "x": _numbers(mx), "y": _numbers(my),
                  "active": [int(a > 0.5) for a in nodes["active_at_start"]]},
        "ties": {"tie": [int(i) for i in ties.index], "source": [int(s) for s in ties["source"]],
                 "target": [int(t) for t in ties["target"]],
                 "kind": list(ties["kind"].astype(str))},
        "social_left_off": social if social > MAX_SOCIAL_TIES else 0,
        "changes": {"time": _numbers(changes["time"]),
                    "node": [int(n) for n in changes["node"]],
                    "active": [int(a > 0.5) for a in changes["active"]]},
        "offmap": offmap,
    }


def _events(table: Optional[pd.DataFrame], name: str, columns: list) -> Optional[dict]:
    """A flows or seizures table as columns, None when there is none."""
    if table is None or table.empty:  # none, or a file written before the tables
        return None
    missing = [c for c in columns if c not in table]
    if missing:
        raise FormatError(f"/network/{name} lacks the column(s) {', '.join(missing)}")
    table = table.sort_values("time", kind="stable")
    out = {}
    for c in columns:
        column = table[c]
        if c in ("tie", "node"):
            out[c] = [int(v) for v in column]
        elif pd.api.types.is_numeric_dtype(column):
            out[c] = _numbers(column)
        else:
            out[c] = list(column.astype(str))
    return out


def run_data(run: Run) -> dict:
    """What a run's page shows, as JSON-ready data."""
    ts = run.timeseries
    time = ts["time"].values if "time" in ts.coords else np.zeros(0)
    k = _stride(len(time), MAX_RUN_SAMPLES)
    series = {}
    for name, variable in ts.data_vars.items():
        if variable.dims != ("time",):
            continue
        long_name = str(variable.attrs.get("long_name", ""))
        series[name] = {"units": str(variable.attrs.get("units", "")), "long_name": long_name,
                        "cumulative": long_name.startswith("cumulative"),
                        "values": _numbers(variable.values[::k])}
    log = run.interventions
    interventions = []
    for _, row in (log.iterrows() if log is not None else []):
        interventions.append({c: (_number(row[c]) if c in ("time", "arrests", "cost")
                                  else str(row[c]))
                              for c in ("time", "id", "action", "targets", "arrests", "cost")
                              if c in row})
    network = run.network
    a = run.attrs
    duration = a.get("duration_days")
    if duration is None or not math.isfinite(float(duration)):
        duration = float(time[-1]) if len(time) else 0.0
    return {
        "kind": "run", "name": _run_name(run),
        "meta": {"scenario": str(a.get("scenario_path", "")), "seed": str(a.get("seed", "")),
                 "replicate": str(a.get("replicate", "")),
                 "overrides": str(a.get("scenario_overrides", "") or ""),
                 "version": str(a.get("software_version", "")),
                 "commit": str(a.get("git_commit", ""))},
        "duration": _number(duration),
        "time": _numbers(time[::k]), "stride": k,
        "series": series, "rate_window": RATE_WINDOW,
        "summary": {str(name): _number(v) for name, v in run.summary.items()},
        "interventions": interventions,
        "map": _map(network) if network is not None else None,
        "flows": _events(network.flows if network is not None else None, "flows",
                         ["time", "tie", "kg", "loads"]),
        "seizures": _events(network.seizures if network is not None else None, "seizures",
                            ["time", "tie", "node", "kg", "kind", "by"]),
    }


# --- a study -------------------------------------------------------------------------------

def _binary(interdict: Optional[PathLike]) -> Optional[pathlib.Path]:
    """The interdict executable: the argument, INTERDICT_BIN, the checkout's build, or PATH."""
    for candidate in (interdict, os.environ.get("INTERDICT_BIN"),
                      _ROOT / "build" / "sim" / "cli" / "interdict", shutil.which("interdict")):
        if candidate and pathlib.Path(candidate).is_file():
            return pathlib.Path(candidate)
    return None


def find_study_file(study: Study, search=(".", _ROOT)) -> Optional[pathlib.Path]:
    """The study file whose text the study stores (`study_toml`), among the TOML files under
    scenarios/ of the current directory and of the checkout; None if there is none."""
    text = study.attrs.get("study_toml")
    if not text:
        return None
    seen = set()
    for base in search:
        for path in sorted(pathlib.Path(base, "scenarios").rglob("*.toml")):
            real = path.resolve()
            if real in seen:
                continue
            seen.add(real)
            try:
                if path.read_text(encoding="utf-8") == text:
                    return real
            except (OSError, UnicodeDecodeError):
                continue
    return None


def summary_mismatches(row: pd.Series, run: Run) -> list:
    """Summary metrics on which a reproduced run differs from the study's row for it, as
    "metric: study X, reproduced Y" (both NaN counts as equal): empty if it is the same run."""
    out = []
    for name, value in run.summary.items():
        if name not in row.index:
            continue
        expected = float(row[name])
        if value == expected or (math.isnan(value) and math.isnan(expected)):
            continue
        out.append(f"{name}: study {expected!r}, reproduced {float(value)!r}")
    return out


def reproduce_run(study_file: PathLike, key: str, binary: PathLike, directory: PathLike) -> Run:
    """Runs study run `key` again alone, as `interdict plan STUDY --command KEY` says (its
    variant's scenario, overrides, seed and replicate), into `directory`, and opens it."""
    plan = subprocess.run([str(binary), "plan", str(study_file), "--command", key],
                          capture_output=True, text=True, timeout=120)
    if plan.returncode != 0:
        raise RuntimeError(f"interdict plan --command {key}: {plan.stderr.strip()}")
    words = shlex.split(plan.stdout.strip())
    if "-o" not in words or words[:2] != ["interdict", "run"]:
        raise RuntimeError(f"interdict plan --command {key} printed {plan.stdout.strip()!r}")
    out = pathlib.Path(directory) / f"{key}.h5"
    words[words.index("-o") + 1] = str(out)
    proc = subprocess.run([str(binary), *words[1:], "--quiet"], capture_output=True, text=True,
                          timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"interdict run for study run {key}: {proc.stderr.strip()}")
    return open_run(out)


def _representative_runs(study: Study, study_file: Optional[PathLike],
                         interdict: Optional[PathLike]) -> dict:
    """Per variant, its first successful run in plan order, run again and checked: {variant:
    {"key", "replicate", "parameters", "check", "problems", "view" or "unavailable"}}."""
    ok = study.runs[study.runs["status"] == "ok"]
    first = {}
    for key, row in ok.iterrows():
        first.setdefault(row["variant"], (key, row))
    binary = _binary(interdict)
    if study_file is None:
        study_file = find_study_file(study)
    reason = None
    if study_file is None:
        reason = ("the study file was not found (pass it with --study FILE): a study's results "
                  "keep no network, so a run is run again from it")
    elif binary is None:
        reason = "no interdict binary (set INTERDICT_BIN or build build/sim/cli/interdict)"
    out = {}
    with tempfile.TemporaryDirectory(prefix="interdict-view-") as directory:
        for variant, (key, row) in first.items():
            entry = {"key": str(key), "replicate": int(row["replicate"]),
                     "seed": str(row.get("seed", "")),
                     "parameters": {p: str(row[p]) for p in study.parameters if p in row}}
            if reason is not None:
                entry["unavailable"] = reason
            else:
                try:
                    run = reproduce_run(study_file, str(key), binary, directory)
                except (RuntimeError, FormatError, OSError, subprocess.TimeoutExpired) as e:
                    entry["unavailable"] = str(e)
                else:
                    entry["problems"] = summary_mismatches(row, run)
                    entry["view"] = run_data(run)
            out[variant] = entry
    for variant, entry in out.items():
        if entry.get("problems"):
            warnings.warn(f"the run of variant {variant} reproduced for the page ({entry['key']}) "
                          f"differs from the study's: {'; '.join(entry['problems'][:3])}",
                          stacklevel=3)
    if reason is not None:
        warnings.warn(f"no run views: {reason}", stacklevel=3)
    return out


def _interval_rows(table: pd.DataFrame) -> dict:
    columns = ["n", "mean", "ci_low", "ci_high", "diff_mean", "diff_ci_low", "diff_ci_high",
               "diff_relative"]
    return {str(v): {c: _number(r[c]) for c in columns if c in r} for v, r in table.iterrows()}


def _description(study_toml: Optional[str]) -> str:
    """The study file's `study.description`, or "" (none, or the text does not parse)."""
    try:
        return str(tomllib.loads(study_toml or "").get("study", {}).get("description", ""))
    except (tomllib.TOMLDecodeError, AttributeError):
        return ""


def study_data(study: Study, study_file: Optional[PathLike] = None,
               interdict: Optional[PathLike] = None, baseline: Optional[str] = None,
               runs: bool = True) -> dict:
    """What a study's page shows, as JSON-ready data (with one run view per variant if
    `runs`)."""
    variants = study.variants
    if not variants:
        raise FormatError("the study has no finished runs to show")
    if baseline is None:
        baseline = variants[0]
    if baseline not in variants:
        raise KeyError(f"baseline {baseline!r} is not a variant: {', '.join(variants)}")
    paired = len(variants) > 1
    metrics = {}
    for metric in STUDY_METRICS:
        if metric in study.runs:
            table = compare(study, metric, baseline=baseline if paired else None)
            metrics[metric] = {"units": study.units.get(metric, ""),
                               "by_variant": _interval_rows(table)}
    ts = study.timeseries
    time = ts["time"].values
    k = _stride(len(time), MAX_STUDY_SAMPLES)
    series = {}
    for metric, per_day in STUDY_SERIES:
        if metric not in ts:
            continue
        source, name = (_with_rate(study, metric, RATE_WINDOW) if per_day else (study, metric))
        units = str(source.timeseries[name].attrs.get("units", ""))
        entry = {"units": units, "per_day": per_day, "mean": {}, "difference": {}}
        for mode, base in (("mean", None), ("difference", baseline if paired else None)):
            if mode == "difference" and base is None:
                continue
            bands = compare_series(source, name, baseline=base)
            for v in bands["variant"].values:
                b = bands.sel(variant=v)
                entry[mode][str(v)] = {c: _numbers(b[c].values[::k])
                                       for c in ("mean", "ci_low", "ci_high")}
        series[metric] = entry
    counts = study.runs.groupby("variant", sort=False)["status"].agg(
        ok=lambda s: int((s == "ok").sum()), failed=lambda s: int((s != "ok").sum()))
    a = study.attrs
    return {
        "kind": "study", "name": study.name or "study",
        "meta": {"description": _description(a.get("study_toml")),
                 "version": str(a.get("software_version", "")),
                 "commit": str(a.get("git_commit", "")), "parameters": study.parameters,
                 "missing": len(study.missing)},
        "baseline": baseline, "variants": variants, "confidence": 0.95,
        "counts": {str(v): {"ok": int(r["ok"]), "failed": int(r["failed"])}
                   for v, r in counts.iterrows()},
        "metrics": metrics, "time": _numbers(time[::k]), "series": series,
        "rate_window": RATE_WINDOW,
        "runs": _representative_runs(study, study_file, interdict) if runs else {},
    }


# --- the page ------------------------------------------------------------------------------

def _load(result) -> Union[Run, Study]:
    if isinstance(result, (Run, Study)):
        return result
    return open_result(result)


def _script_json(data: dict) -> str:
    """JSON that is safe inside <script>: no "</" can close the element early, no "<!--" open
    a comment. "<" appears in JSON only inside strings, where \\u003c is the same character."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c")


def view_html(result, *, study_file: Optional[PathLike] = None,
              interdict: Optional[PathLike] = None, baseline: Optional[str] = None) -> str:
    """The page for `result`: a run file, a study directory or merged study file, or a Run or
    Study object (for instance one made in memory). For a study, one run per variant is run
    again from `study_file` (default: found by its text under scenarios/) with `interdict`
    (default: INTERDICT_BIN, build/sim/cli/interdict, PATH)."""
    result = _load(result)
    if isinstance(result, Run):
        data = run_data(result)
        title = f"{data['name']}: run"
    else:
        data = study_data(result, study_file, interdict, baseline)
        title = f"{data['name']}: study"
    css = (_HERE / "view.css").read_text(encoding="utf-8")
    js = (_HERE / "view.js").read_text(encoding="utf-8")
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>\n{css}</style>\n</head>\n<body>\n"
            f'<main id="app"><noscript>This page needs JavaScript.</noscript></main>\n'
            f'<script type="application/json" id="interdict-data">{_script_json(data)}</script>\n'
            f"<script>\n{js}</script>\n</body>\n</html>\n")


def write_view(result, path: PathLike, **options) -> pathlib.Path:
    """Writes view_html(result, **options) to `path` (UTF-8) and returns the path."""
    path = pathlib.Path(path)
    text = view_html(result, **options)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="interdict-view",
        description="Write a self-contained HTML page (no network needed) for an interdict "
                    "result: a run file (the network over time) or a study directory or merged "
                    "study file (variants compared, one run of each to open).")
    parser.add_argument("result", help="run file, study directory or merged study file")
    parser.add_argument("-o", "--output", required=True, help="the HTML file to write")
    parser.add_argument("--study", help="the study file, to run one run per variant again "
                                        "(default: found by its text under scenarios/)")
    parser.add_argument("--baseline", help="variant to compare against (default: the first)")
    parser.add_argument("--interdict", help="interdict binary (default: INTERDICT_BIN, "
                                            "build/sim/cli/interdict, PATH)")
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            path = write_view(args.result, args.output, study_file=args.study,
                              interdict=args.interdict, baseline=args.baseline)
    except (FormatError, FileNotFoundError, KeyError, OSError, ValueError, TypeError) as e:
        # h5py reports a damaged file as OSError or KeyError without naming it
        message = e.args[0] if isinstance(e, KeyError) and e.args else e
        named = "" if str(args.result) in str(message) else f"{args.result}: "
        print(f"interdict-view: error: {named}{message}", file=sys.stderr)
        return 2
    for w in caught:
        print(f"interdict-view: warning: {w.message}", file=sys.stderr)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
