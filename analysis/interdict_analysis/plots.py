"""Standard plots of interdict results. Each function returns the matplotlib Figure (and
draws into `ax` when one is given), so notebooks show it and scripts can save it."""
from __future__ import annotations

import dataclasses
import math
import pathlib
import re
import tomllib
from typing import Optional, Sequence, Union

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import xarray as xr

from .formatting import format_number, readable_axis, unit_suffix
from .results import Network, Run, Study
from .stats import compare, compare_series

_COLOURS = plt.rcParams["axes.prop_cycle"].by_key()["color"]


def _label(attrs: dict, name: str) -> str:
    return name + unit_suffix(attrs.get("units", ""))


def _per_day(values: np.ndarray, time: np.ndarray, window_days: float) -> np.ndarray:
    """Rate of change per day of a cumulative series (last axis), averaged over a trailing
    window of `window_days`."""
    step = float(np.median(np.diff(time))) if len(time) > 1 else 1.0
    lag = max(1, int(round(window_days / step)))
    out = np.full(values.shape, np.nan)
    out[..., lag:] = (values[..., lag:] - values[..., :-lag]) / (lag * step)
    return out


def _rate_units(units: str) -> str:
    return f"{units}/d" if units and units != "1" else "1/d"


def _with_rate(study: Study, metric: str, window_days: float) -> tuple[Study, str]:
    name = f"{metric}_per_day"
    ts = study.timeseries.copy()
    ts[name] = (ts[metric].dims, _per_day(ts[metric].values, ts["time"].values, window_days))
    ts[name].attrs = {"units": _rate_units(ts[metric].attrs.get("units", "")),
                      "long_name": f"{metric} per day ({window_days:g}-day average)"}
    return dataclasses.replace(study, timeseries=ts), name


def _axes(ax, figsize=(8, 4.5)):
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


# --- interventions on a time axis ------------------------------------------------------------

def _intervention_rows(log: pd.DataFrame, groups: Optional[Sequence] = None) -> list:
    """One row per intervention id, in order of first firing: (id, {group: sorted distinct
    firing times}). `groups`: the groups (variants) whose firings to keep, in drawing order;
    None for a run's log."""
    if log is None or len(log) == 0:
        return []
    log = log.sort_values("time", kind="stable")
    rows = []
    for ident, entries in log.groupby("id", sort=False):
        if groups is None or "variant" not in entries:
            times = {None: np.unique(entries["time"].to_numpy(float))}
        else:
            times = {g: np.unique(entries.loc[entries["variant"] == g, "time"].to_numpy(float))
                     for g in groups}
            times = {g: t for g, t in times.items() if len(t)}
        if times:
            rows.append((str(ident), times))
    return rows


def _strip_label(ident: str, times: dict) -> str:
    firing = max(times.values(), key=len)
    if len(firing) == 1:
        return f"{ident} (day {format_number(firing[0])})"
    return (f"{ident} ({len(firing)}x, days {format_number(firing[0])}-"
            f"{format_number(firing[-1])})")


def _draw_strip(strip, rows: list, colour_of, xlim) -> None:
    """The interventions as a timeline above the plot: one row per intervention, a tick at every
    firing (in the colour of the group it fired in, each group a slice of the row), the span
    from first to last firing shaded, and the row's label beside its ticks, on the side with
    more room. Rows never share a line, so labels of simultaneous interventions cannot
    overlap."""
    strip.set_ylim(-0.6, max(len(rows), 1) - 0.4)
    strip.set_yticks([])
    strip.tick_params(axis="x", labelbottom=False, length=0)
    for side in ("left", "right", "top"):
        strip.spines[side].set_visible(False)
    if not rows:
        strip.text(0.01, 0.5, "no interventions fired", transform=strip.transAxes, fontsize=7,
                   va="center", color="0.4")
        return
    low, high = xlim
    for i, (ident, times) in enumerate(rows):
        y = len(rows) - 1 - i
        height = 0.8 / len(times)
        for k, (group, firing) in enumerate(times.items()):
            y0 = y - 0.4 + k * height
            colour = colour_of(group)
            if len(firing) > 1:
                strip.fill_between([firing[0], firing[-1]], y0, y0 + height, color=colour,
                                   alpha=0.15, linewidth=0)
            strip.vlines(firing, y0, y0 + height, colors=colour, linewidth=1.6,
                         gid=f"intervention:{ident}")
        first = min(t[0] for t in times.values())
        last = max(t[-1] for t in times.values())
        style = dict(va="center", fontsize=7, color="0.15", gid="intervention-label",
                     annotation_clip=False)
        if last - first > 0.4 * (high - low):  # a long campaign: the label inside its span
            strip.annotate(_strip_label(ident, times), ((first + last) / 2, y), ha="center",
                           bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1),
                           **style)
            continue
        right = (high - last) >= (first - low)
        strip.annotate(_strip_label(ident, times), (last if right else first, y),
                       xytext=(4 if right else -4, 0), textcoords="offset points",
                       ha="left" if right else "right", **style)


def _mark_firings(ax, rows: list, colour_of) -> None:
    """A faint vertical line through the plot at every firing time."""
    drawn = set()
    for ident, times in rows:
        for group, firing in times.items():
            colour = colour_of(group) if len(times) == 1 else "0.4"
            for t in firing:
                if (t, colour) in drawn:
                    continue
                drawn.add((t, colour))
                ax.axvline(t, color=colour, linestyle="--", linewidth=0.8,
                           alpha=0.6 if len(firing) == 1 else 0.3, zorder=1,
                           gid=f"firing:{ident}")


def _mark_interventions(ax, log: pd.DataFrame, colour_of=None):
    """Every firing of every intervention as a vertical line (kept for callers of the old
    helper; the plots draw the labelled timeline of _draw_strip)."""
    groups = list(dict.fromkeys(log["variant"])) if log is not None and "variant" in log \
        and len(log) else None
    _mark_firings(ax, _intervention_rows(log, groups), colour_of or (lambda g: "0.3"))


def _strip_height(rows: int) -> float:
    return 0.18 * max(rows, 1) + 0.1  # inches


def _with_strip(ax, rows: int):
    """An axes for the intervention timeline above `ax` (a caller's axes)."""
    height = _strip_height(rows) / max(ax.get_position().height * ax.figure.get_figheight(), 1e-3)
    strip = ax.inset_axes([0, 1.02, 1, height], sharex=ax)
    return strip


# --- time series -----------------------------------------------------------------------------

def _series_label(metric: str, per_day: bool, window_days: float) -> str:
    return f"{metric} per day ({window_days:g}-day mean)" if per_day else metric


def plot_timeseries(result: Union[Run, Study], metric: str, by: str = "variant",
                    confidence: float = 0.95, per_day: bool = False, window_days: float = 30.0,
                    interventions: bool = True, groups: Optional[Sequence] = None,
                    baseline=None, ax=None, layout: str = "auto",
                    reference: Optional[str] = None):
    """A metric over time. For a study: the mean per group (default: per variant) with its
    confidence band over replicates; for a run: the run's values. Above the plot, a timeline of
    the interventions: a tick at every firing (a repeated intervention gets one per firing and
    its span shaded), one row per intervention, so simultaneous ones never overlap.

    per_day=True turns a cumulative metric (delivered_kg, seized_kg, ...) into a rate per day,
    averaged over the trailing `window_days`. With a baseline (a study's group), each group's
    paired difference to it is drawn instead (see compare_series); the baseline itself (zero)
    is left out unless named in `groups`.

    layout: "overlay" (every group on one axes), "grid" (small multiples, one panel per group
    on shared axes; without a baseline each panel shows the `reference` group, by default the
    first, in grey), or "auto" (default): a grid for more than three groups, when overlapping
    bands become unreadable, an overlay otherwise or when drawing into `ax`.
    """
    if layout not in ("auto", "overlay", "grid"):
        raise ValueError(f"layout must be 'auto', 'overlay' or 'grid', not {layout!r}")
    name = _series_label(metric, per_day, window_days)
    if isinstance(result, Run):
        ts = result.timeseries
        if metric not in ts:
            raise KeyError(f"no time series {metric!r}; available: {', '.join(ts.data_vars)}")
        values, units = ts[metric].values, ts[metric].attrs.get("units", "")
        if per_day:
            values, units = _per_day(values, ts["time"].values, window_days), _rate_units(units)
        rows = _intervention_rows(result.interventions) if interventions else []
        fig, main, strip = _frame(ax, [rows] if interventions else None, 1)[0]
        time = ts["time"].values
        main.plot(time, values, color=_COLOURS[0], label=result.name)
        main.set_ylabel(name + unit_suffix(units))
        _finish_time_axes(main, strip, rows, lambda g: "0.3", time)
        (strip or main).set_title(f"{result.name}: {name}", fontsize=10)
        return fig

    study, series = (_with_rate(result, metric, window_days) if per_day else (result, metric))
    summary = compare_series(study, series, by=by, baseline=baseline, confidence=confidence)
    everything = list(summary[by].values)
    if groups is not None:
        chosen = list(groups)
    else:
        chosen = [g for g in everything if baseline is None or g != baseline]
    colour = {g: _COLOURS[i % len(_COLOURS)] for i, g in enumerate(everything)}
    colour_of = lambda g: colour.get(g, "0.3")  # noqa: E731
    grid = layout == "grid" or (layout == "auto" and ax is None and len(chosen) > 3)
    if grid and ax is not None:
        raise ValueError("layout='grid' draws its own figure: leave out ax")
    log = study.interventions if interventions else None
    if log is not None and len(log) and by != "variant":
        log = log.drop(columns=["variant"])
    units = unit_suffix(study.timeseries[series].attrs.get("units", ""))
    ylabel = (name if baseline is None else f"{name}\n minus {baseline}") + units
    time = summary["time"].values
    n = int(summary["n"].max()) if summary["n"].size else 0
    what = "mean" if baseline is None else f"paired difference to {baseline}"
    title = (f"{result.name}: {name}, {what} with {confidence:.0%} interval "
             f"(up to {n} runs per {by})")

    def band(a, g, **style):
        s = summary.sel({by: g})
        a.plot(time, s["mean"].values, color=style.get("color", colour_of(g)),
               label=style.get("label", str(g)), linewidth=style.get("linewidth", 1.5),
               zorder=style.get("zorder", 3))
        a.fill_between(time, s["ci_low"].values, s["ci_high"].values,
                       color=style.get("color", colour_of(g)), alpha=style.get("alpha", 0.2),
                       linewidth=0, zorder=style.get("zorder", 3) - 1)

    # A paired difference is also what the baseline did: its interventions are marked too.
    extra = [baseline] if baseline is not None else []
    if not grid:
        rows = _intervention_rows(log, (chosen + [b for b in extra if b not in chosen])
                                  if by == "variant" else None)
        fig, main, strip = _frame(ax, [rows] if interventions else None, 1)[0]
        for g in chosen:
            band(main, g)
        _finish_time_axes(main, strip, rows, colour_of if by == "variant" else
                          (lambda g: "0.3"), time, zero=baseline is not None)
        main.set_ylabel(ylabel)
        main.legend(title=by, fontsize=8)
        (strip or main).set_title(title, fontsize=10)
        return fig

    rows_of = [_intervention_rows(log, list(dict.fromkeys([g] + extra))
                                  if by == "variant" else None) for g in chosen]
    panels = _frame(None, rows_of if interventions else None, len(chosen))
    fig = panels[0][0]
    if baseline is None and reference is None and chosen:
        reference = everything[0]
    first_main = panels[0][1]
    for (_, main, strip), g, rows in zip(panels, chosen, rows_of):
        if main is not first_main:
            main.sharex(first_main)
            main.sharey(first_main)
        if reference is not None and g != reference:
            band(main, reference, color="0.35", alpha=0.12, linewidth=1.0, zorder=2,
                 label=f"{reference} (for reference)")
        band(main, g)
        _finish_time_axes(main, strip, rows, colour_of if by == "variant" else
                          (lambda _: "0.3"), time, zero=baseline is not None)
        (strip or main).set_title(str(g), fontsize=10, color=colour_of(g), loc="left",
                                  fontweight="bold")
        if reference is not None and g != reference:
            main.legend(fontsize=7, loc="best")
    for _, main, _ in panels:
        if main.get_subplotspec().is_first_col():
            main.set_ylabel(ylabel)
        if not main.get_subplotspec().is_last_row():
            main.set_xlabel("")
    fig.suptitle(title, fontsize=10)
    return fig


def _frame(ax, rows_of: Optional[list], panels: int, panel_size=(4.3, 2.6)):
    """(figure, main axes, timeline axes or None) per panel. `rows_of`: the timeline rows of
    each panel (None: no timeline). One panel on a caller's axes puts the timeline above it."""
    if ax is not None:
        strip = _with_strip(ax, len(rows_of[0])) if rows_of is not None else None
        return [(ax.figure, ax, strip)]
    strip_rows = max((len(r) for r in rows_of), default=0) if rows_of is not None else 0
    strip_in = _strip_height(strip_rows) if rows_of is not None else 0.0
    if panels == 1:
        main_in = 4.0
        fig = plt.figure(figsize=(8.5, main_in + strip_in + 0.4), layout="constrained")
        if rows_of is None:
            return [(fig, fig.add_subplot(), None)]
        gs = fig.add_gridspec(2, 1, height_ratios=[strip_in, main_in], hspace=0.0)
        main = fig.add_subplot(gs[1])
        return [(fig, main, fig.add_subplot(gs[0], sharex=main))]
    ncols = 2 if panels <= 4 else 3
    nrows = math.ceil(panels / ncols)
    width, height = panel_size
    fig = plt.figure(figsize=(width * ncols, (height + strip_in + 0.3) * nrows + 0.4),
                     layout="constrained")
    per_row = 2 if rows_of is not None else 1
    ratios = ([strip_in, height] if rows_of is not None else [height]) * nrows
    gs = fig.add_gridspec(per_row * nrows, ncols, height_ratios=ratios, hspace=0.0)
    out = []
    for i in range(panels):
        r, c = divmod(i, ncols)
        main = fig.add_subplot(gs[per_row * r + per_row - 1, c])
        strip = fig.add_subplot(gs[per_row * r, c], sharex=main) if rows_of is not None \
            else None
        out.append((fig, main, strip))
    return out


def _finish_time_axes(main, strip, rows, colour_of, time, zero: bool = False) -> None:
    if zero:
        main.axhline(0, color="0.3", linewidth=1, zorder=2)
    if len(time):
        main.set_xlim(float(time[0]), float(time[-1]))
    _mark_firings(main, rows, colour_of)
    lowest = [np.nanmin(line.get_ydata()) for line in main.get_lines()
              if len(line.get_ydata()) > 2 and np.isfinite(line.get_ydata()).any()]
    if not zero and lowest and min(lowest) >= 0:
        main.set_ylim(0, main.get_ylim()[1])  # levels from zero: a dip is not a collapse
    if strip is not None:
        _draw_strip(strip, rows, colour_of, main.get_xlim())
    main.set_xlabel("time [days]")
    readable_axis(main.yaxis)
    main.grid(alpha=0.3)


# --- comparisons -----------------------------------------------------------------------------

def plot_comparison(study: Study, metric: str, by: str = "variant", baseline=None,
                    confidence: float = 0.95, ax=None):
    """Groups compared as intervals: each group's mean with its confidence interval, and,
    given a baseline, the paired difference to it (the unpaired interval drawn faintly
    behind, to show what common random numbers buy). Groups are rows (their names never
    collide); values carry thousands separators."""
    table = compare(study, metric, by=by, baseline=baseline, confidence=confidence)
    panels = 2 if baseline is not None else 1
    if ax is not None:
        fig, axes = ax.figure, np.atleast_1d(ax)
    else:
        fig, axes = plt.subplots(1, panels, figsize=(5 * panels + 1, 0.45 * len(table) + 2.5),
                                 layout="constrained", squeeze=False)
        axes = axes[0]
    labels = [str(i) for i in table.index]
    y = np.arange(len(table))[::-1]
    a = axes[0]
    a.errorbar(table["mean"], y, xerr=[table["mean"] - table["ci_low"],
                                       table["ci_high"] - table["mean"]],
               fmt="o", color=_COLOURS[0], capsize=4)
    a.set_yticks(y, labels)
    a.set_xlabel(metric + unit_suffix(study.units.get(metric, "")))
    a.set_title(f"mean and {confidence:.0%} interval", fontsize=10)
    readable_axis(a.xaxis, nbins=5)
    a.grid(axis="x", alpha=0.3)
    if baseline is not None and len(axes) > 1:
        b = axes[1]
        is_base = table.index.get_level_values(0) == baseline
        table = table.assign(**{c: np.where(is_base, np.nan, table[c])
                                for c in table.columns if c.startswith("diff_")})
        half_unpaired = table["diff_ci_halfwidth_unpaired"]
        b.errorbar(table["diff_mean"], y, xerr=half_unpaired, fmt="none", ecolor="0.75",
                   elinewidth=6, capsize=0, label="unpaired (Welch)")
        b.errorbar(table["diff_mean"], y, xerr=[table["diff_mean"] - table["diff_ci_low"],
                                                table["diff_ci_high"] - table["diff_mean"]],
                   fmt="o", color=_COLOURS[1], capsize=4, label="paired")
        for row in y[is_base]:
            b.annotate("baseline", (0, row), xytext=(4, 0), textcoords="offset points",
                       va="center", fontsize=8, color="0.4")
        b.axvline(0, color="0.3", linewidth=1)
        b.set_yticks(y, labels)
        b.set_xlabel(f"difference to {baseline}" + unit_suffix(study.units.get(metric, "")))
        b.set_title(f"paired difference, {confidence:.0%} interval", fontsize=10)
        b.legend(fontsize=8, loc="best")
        readable_axis(b.xaxis, nbins=5)
        b.grid(axis="x", alpha=0.3)
    fig.suptitle(f"{study.name}: {metric}")
    return fig


# --- swept parameters --------------------------------------------------------------------------

_INDEXED_KEY = re.compile(r"^([A-Za-z_][\w-]*)\[(\d+)\]\.(.+)$")


def _scenario_files(study: Study) -> list:
    """Candidate paths of the scenario files a study ran: its `[study] scenario` and its
    variants' `scenario` keys, relative paths tried against the places a study file usually
    sits (the result's directories, their parents and their scenarios/studies folders) since
    the study file's own location is not recorded."""
    try:
        doc = tomllib.loads(str(study.attrs.get("study_toml", "")))
    except tomllib.TOMLDecodeError:
        return []
    names = [doc.get("study", {}).get("scenario")]
    names += [v.get("scenario") for v in doc.get("variants", []) if isinstance(v, dict)]
    bases = [pathlib.Path.cwd()]
    for p in study.paths:
        for ancestor in pathlib.Path(p).resolve().parents:
            bases += [ancestor, ancestor / "scenarios" / "studies"]
    found = []
    for name in dict.fromkeys(n for n in names if isinstance(n, str)):
        candidates = [pathlib.Path(name)] if pathlib.Path(name).is_absolute() \
            else [b / name for b in bases]
        found += [c.resolve() for c in candidates if c.is_file()][:1]
    return found


def _scenario_list(path: pathlib.Path, name: str, depth: int = 0) -> Optional[list]:
    """The `[[name]]` entries of a scenario file, following `scenario.base` where it has none."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    if isinstance(doc.get(name), list):
        return doc[name]
    base = doc.get("scenario", {}).get("base")
    if isinstance(base, str) and depth < 8:
        return _scenario_list((path.parent / base).resolve(), name, depth + 1)
    return None


def label_from_scenario_text(text: Optional[str], key: str) -> str:
    """`patrols[0].intensity` as `patrols[navy-veracruz].intensity`, the entry's id read from a
    scenario's TOML text; the key itself when the text names no id for it."""
    match = _INDEXED_KEY.match(key)
    try:
        entries = tomllib.loads(text).get(match.group(1)) if match and text else None
    except tomllib.TOMLDecodeError:
        entries = None
    return _with_id(key, entries)


def _with_id(key: str, entries) -> str:
    """The key with its entry's number replaced by the id of `entries[number]`, if it has one."""
    match = _INDEXED_KEY.match(key)
    if not match:
        return key
    table, index, rest = match.group(1), int(match.group(2)), match.group(3)
    if isinstance(entries, list) and index < len(entries) and isinstance(entries[index], dict) \
            and "id" in entries[index]:
        return f"{table}[{entries[index]['id']}].{rest}"
    return key


def parameter_label(result: Union[Run, Study], key: str) -> str:
    """A varied key path as a reader knows it: `patrols[0].intensity` becomes
    `patrols[navy-veracruz].intensity`, the entry's id read from the scenario text stored in a
    run, or from the scenario files a study names; the key itself when no id is found."""
    match = _INDEXED_KEY.match(key)
    if not match:
        return key
    if isinstance(result, Run):
        return label_from_scenario_text(
            result.attrs.get("scenario_resolved_toml") or result.attrs.get("scenario_toml"), key)
    entries = None
    for path in _scenario_files(result):
        entries = _scenario_list(path, match.group(1))
        if entries:
            break
    return _with_id(key, entries)


def plot_response(study: Study, metric: str, x: str, y: Optional[str] = None,
                  by: Optional[str] = None, confidence: float = 0.95, ax=None,
                  baseline=None, labels: Optional[dict] = None):
    """How an end-of-run metric responds to swept parameters: with one parameter, the mean and
    its confidence band against x (one line per value of `by`, e.g. the variant); with two, a
    heat map of the mean over the (x, y) grid (pooling the other conditions; select runs
    first, e.g. with dataclasses.replace(study, runs=...), to fix them).

    With a `baseline` (a value of `by`), each group's difference to it at every x instead: the
    paired band (each run against the baseline run of the same replicate and x; with common
    random numbers the narrow one) over the unpaired (Welch) band in grey. Axes name list
    entries by id (parameter_label); `labels` overrides (key path -> label)."""
    fig, ax = _axes(ax, figsize=(7, 4.5))
    name = lambda key: (labels or {}).get(key) or parameter_label(study, key)  # noqa: E731
    units = unit_suffix(study.units.get(metric, ""))
    if y is None:
        groups = [None] if by is None else list(dict.fromkeys(study.runs[by]))
        if baseline is not None:
            if by is None:
                raise ValueError("a baseline is a value of `by`: give by= too")
            table = compare(study, metric, by=[by, x], baseline=baseline, confidence=confidence)
            groups = [g for g in groups if g != baseline]
        for i, g in enumerate(groups):
            colour = _COLOURS[(i + (1 if baseline is not None else 0)) % len(_COLOURS)]
            if baseline is None:
                subset = study if g is None else dataclasses.replace(
                    study, runs=study.runs[study.runs[by] == g])
                t = compare(subset, metric, by=x, confidence=confidence).sort_index()
                xs = t.index.to_numpy(dtype=float)
                ax.plot(xs, t["mean"], marker="o", color=colour,
                        label=None if g is None else str(g))
                ax.fill_between(xs, t["ci_low"], t["ci_high"], color=colour, alpha=0.2,
                                linewidth=0)
                continue
            t = table.xs(g, level=0).sort_index()
            xs = t.index.to_numpy(dtype=float)
            mean, half = t["diff_mean"], t["diff_ci_halfwidth_unpaired"]
            ax.fill_between(xs, mean - half, mean + half, color="0.6", alpha=0.25, linewidth=0,
                            label="unpaired (Welch)" if i == 0 else None)
            ax.fill_between(xs, t["diff_ci_low"], t["diff_ci_high"], color=colour, alpha=0.35,
                            linewidth=0)
            ax.plot(xs, mean, marker="o", color=colour, label=f"{g}, paired")
        if baseline is not None:
            ax.axhline(0, color="0.3", linewidth=1)
        if by is not None:
            ax.legend(title=by, fontsize=8)
        ax.set_xlabel(name(x))
        ax.set_ylabel((metric if baseline is None else f"{metric} minus {baseline}") + units)
        readable_axis(ax.yaxis)
        ax.grid(alpha=0.3)
        what = "" if baseline is None else f"difference to {baseline}, "
        ax.set_title(f"{study.name}: {metric} against {name(x)}\n({what}{confidence:.0%} "
                     "interval)", fontsize=10)
    else:
        table = compare(study, metric, by=[x, y], confidence=confidence)
        grid = table["mean"].unstack(y).sort_index().sort_index(axis=1)
        values = grid.to_numpy(dtype=float)
        image = ax.imshow(values.T, origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(len(grid.index)), [format_number(v) for v in grid.index])
        ax.set_yticks(range(len(grid.columns)), [format_number(v) for v in grid.columns])
        middle = np.nanmean(values) if np.isfinite(values).any() else 0.0
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                value = grid.iat[i, j]
                if np.isfinite(value):  # dark text on the light (high) end of viridis
                    ax.text(i, j, format_number(value, 3), ha="center", va="center",
                            fontsize=8, color="black" if value > middle else "white")
        bar = fig.colorbar(image, ax=ax, label=f"mean {metric}{units}")
        bar.formatter = matplotlib.ticker.FuncFormatter(lambda v, _: format_number(v))
        bar.update_ticks()
        ax.set_xlabel(name(x))
        ax.set_ylabel(name(y))
        ax.set_title(f"{study.name}: mean {metric}", fontsize=10)
    return fig


# --- the network -------------------------------------------------------------------------------

_NODE_STYLE = {  # marker, size, colour, ring (offset from the place, in layout units)
    "place": ("o", 18, "0.25", 0.0),
    "relay": ("^", 46, "tab:green", 1.0),
    "cell": ("o", 40, "tab:orange", 2.0),
    "vessel": ("D", 30, "tab:blue", 3.0),
}
_TIE_STYLE = {"land": ("0.6", "-", 0.8), "sea": ("tab:blue", ":", 0.8), "air": ("0.6", "--", 0.8),
              "radio": ("tab:green", "-", 1.4), "social": ("tab:orange", "-", 1.0)}


def _spring_layout(n: int, edges: np.ndarray, seed: int = 1, iterations: int = 200) -> np.ndarray:
    """Fruchterman-Reingold positions in the unit square, deterministic for a seed."""
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    if n <= 1:
        return pos
    k = math.sqrt(1.0 / n)
    temperature = 0.1
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.linalg.norm(delta, axis=-1), 1e-3)
        force = (delta / dist[..., None]) * (k * k / dist)[..., None]  # repulsion
        disp = force.sum(axis=1)
        if len(edges):
            d = pos[edges[:, 0]] - pos[edges[:, 1]]
            length = np.maximum(np.linalg.norm(d, axis=-1), 1e-3)
            pull = d / length[:, None] * (length * length / k)[:, None]
            np.add.at(disp, edges[:, 0], -pull)
            np.add.at(disp, edges[:, 1], pull)
        step = np.linalg.norm(disp, axis=-1)
        pos += disp / np.maximum(step, 1e-9)[:, None] * np.minimum(step, temperature)[:, None]
        temperature *= 0.98
    return pos


def network_layout(network: Network) -> np.ndarray:
    """(x, y) per node: places at their longitude and latitude (a spring layout of the routes
    where coordinates are missing), other nodes on small rings around their place."""
    nodes = network.nodes
    is_place = (nodes["kind"] == "place").to_numpy()
    place_rows = np.flatnonzero(is_place)
    place_index = {pid: i for i, pid in enumerate(nodes.loc[is_place, "id"])}
    lon = nodes.loc[is_place, "longitude"].to_numpy(float)
    lat = nodes.loc[is_place, "latitude"].to_numpy(float)
    if len(place_rows) and np.all(np.isfinite(lon)) and np.all(np.isfinite(lat)):
        place_pos = np.column_stack([lon, lat])
    else:
        ties = network.ties
        routes = ties[ties["source"].isin(place_rows) & ties["target"].isin(place_rows)]
        where = {row: i for i, row in enumerate(place_rows)}
        edges = np.array([[where[s], where[t]] for s, t in zip(routes["source"], routes["target"])],
                         dtype=int).reshape(-1, 2)
        place_pos = _spring_layout(len(place_rows), edges)
    span = np.ptp(place_pos, axis=0).max() if len(place_pos) > 1 else 1.0
    radius = 0.018 * (span if span > 0 else 1.0)
    pos = np.zeros((len(nodes), 2))
    pos[place_rows] = place_pos
    for kind, (_, _, _, ring) in _NODE_STYLE.items():
        if ring == 0.0:
            continue
        rows = np.flatnonzero((nodes["kind"] == kind).to_numpy())
        at = nodes["place"].to_numpy()[rows]
        for place in dict.fromkeys(at):
            members = rows[at == place]
            centre = place_pos[place_index[place]] if place in place_index else np.zeros(2)
            angles = 2 * np.pi * (np.arange(len(members)) / max(len(members), 1)) + ring
            r = radius * ring
            pos[members] = centre + r * np.column_stack([np.cos(angles), np.sin(angles)])
    return pos


def _map_window(network: Network, pos: np.ndarray) -> Optional[tuple]:
    """(x0, x1, y0, y1) around the places that matter: those where relays, cells or vessels
    sit, and other places no further from them than half their extent. A place far away (the
    border crossing 600 km north of Veracruz) is left off the map, and only pointed to, so
    the rest is not squeezed into a corner. None when every place is in."""
    nodes = network.nodes
    is_place = (nodes["kind"] == "place").to_numpy()
    hosts = set(nodes.loc[~is_place, "place"])
    core = is_place & nodes["id"].isin(hosts).to_numpy()
    if core.sum() < 2:
        return None
    low, high = pos[core].min(axis=0), pos[core].max(axis=0)
    reach = 0.5 * max(float(np.max(high - low)), 1e-9)
    inside = is_place & np.all((pos >= low - reach) & (pos <= high + reach), axis=1)
    if inside.sum() == is_place.sum():
        return None
    members = ~is_place & nodes["place"].isin(set(nodes.loc[inside, "id"])).to_numpy()
    box = pos[inside | members]
    low, high = box.min(axis=0), box.max(axis=0)
    pad = 0.1 * max(float(np.max(high - low)), 1e-9)
    return low[0] - pad, high[0] + pad, low[1] - pad, high[1] + pad


def _point_off_map(ax, network: Network, pos: np.ndarray, window: tuple) -> None:
    """An arrow at the map's edge towards each place left off it, with its name."""
    x0, x1, y0, y1 = window
    centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
    nodes = network.nodes
    for i in np.flatnonzero((nodes["kind"] == "place").to_numpy()):
        p = pos[i]
        if x0 <= p[0] <= x1 and y0 <= p[1] <= y1:
            continue
        d = p - centre
        scale = min(((x1 - centre[0]) / d[0]) if d[0] > 0 else ((x0 - centre[0]) / d[0])
                    if d[0] < 0 else np.inf,
                    ((y1 - centre[1]) / d[1]) if d[1] > 0 else ((y0 - centre[1]) / d[1])
                    if d[1] < 0 else np.inf)
        edge = centre + 0.97 * scale * d
        tail = centre + 0.85 * scale * d
        ax.annotate(f"to {nodes['id'].iat[i]}\n(off the map)", edge, xytext=tail,
                    arrowprops=dict(arrowstyle="->", color="0.3", linewidth=0.8), fontsize=7,
                    color="0.3", ha="center", va="center", gid="off-map")


def _draw_network(ax, network: Network, pos: np.ndarray, active: np.ndarray, title: str,
                  window: Optional[tuple] = None):
    nodes, ties = network.nodes, network.ties
    for kind, rows in ties.groupby("kind", sort=False):
        colour, style, width = _TIE_STYLE.get(kind, ("0.6", "-", 0.8))
        s, t = rows["source"].to_numpy(), rows["target"].to_numpy()
        both = active[s] & active[t]
        for mask, alpha, ls in ((both, 0.8, style), (~both, 0.25, ":")):
            if mask.any():
                segments = np.stack([pos[s[mask]], pos[t[mask]]], axis=1)
                ax.add_collection(matplotlib.collections.LineCollection(
                    segments, colors=colour, linestyles=ls, linewidths=width, alpha=alpha,
                    zorder=1))
    counts = []
    for kind, (marker, size, colour, _) in _NODE_STYLE.items():
        rows = (nodes["kind"] == kind).to_numpy()
        if not rows.any():
            continue
        on, off = rows & active, rows & ~active
        ax.scatter(pos[on, 0], pos[on, 1], marker=marker, s=size, c=colour, edgecolors="k",
                   linewidths=0.4, zorder=3, label=kind)
        if off.any():
            ax.scatter(pos[off, 0], pos[off, 1], marker="x", s=size, c="tab:red", zorder=4,
                       linewidths=1.2, label=f"{kind} not operating")
        if kind != "place":
            counts.append(f"{kind}s {int(on.sum())}/{int(rows.sum())}")
    for i in np.flatnonzero((nodes["kind"] == "place").to_numpy()):
        ax.annotate(nodes["id"].iat[i], pos[i], fontsize=7, color="0.25", xytext=(4, -9),
                    textcoords="offset points", annotation_clip=True)
    ax.set_title(title, fontsize=10)
    ax.text(0.01, 0.01, ", ".join(counts) + " operating", transform=ax.transAxes, fontsize=8,
            va="bottom", bbox=dict(facecolor="white", edgecolor="none", alpha=0.8))
    if window is not None:
        ax.set_xlim(window[0], window[1])
        ax.set_ylim(window[2], window[3])
        _point_off_map(ax, network, pos, window)
    else:
        ax.autoscale_view()
    geographic = network.nodes["longitude"].notna().all() if "longitude" in network.nodes \
        else False
    if geographic:  # a degree of longitude is shorter than one of latitude, by cos(latitude)
        latitude = np.nanmean(network.nodes["latitude"].to_numpy(float))
        ax.set_aspect(1 / max(math.cos(math.radians(latitude)), 0.1), adjustable="datalim"
                      if window is None else "box")
    else:
        ax.set_aspect("equal", adjustable="datalim")
    ax.tick_params(labelsize=7)


def plot_network(run: Run, at: Union[float, str, None] = None,
                 after: Union[float, Sequence[float], None] = None, axes=None,
                 crop: bool = True):
    """The network just before and after an intervention: operating nodes filled, stopped ones
    as red crosses, ties to a stopped node dotted. Places sit at their coordinates.

    `at`: an intervention id, a time in days, or None for the first intervention that fired (or
    the end of the run when none did). `after`: the time of the second panel (default: `at`,
    just after the intervention), or several times, one panel each (the damage weeks later,
    and after the rebuilding). `crop`: frame the places where the network operates, pointing to
    far-off places (a border crossing) at the map's edge instead of shrinking the rest.
    """
    network = run.network
    if network is None:
        raise ValueError(f"{run.label}: holds no /network group (written before it was added)")
    label = ""
    if at is None:
        if len(run.interventions):
            first = run.interventions.iloc[0]
            at, label = float(first["time"]), str(first["id"])
        else:
            at = float(run.timeseries["time"].values[-1])
    elif isinstance(at, str):
        rows = run.interventions[run.interventions["id"] == at]
        if rows.empty:
            raise KeyError(f"no intervention {at!r} fired in this run; fired: "
                           f"{', '.join(run.interventions['id']) or 'none'}")
        label, at = at, float(rows["time"].iloc[0])
    at = float(at)
    times = [at] if after is None else [float(t) for t in np.atleast_1d(after)]
    pos = network_layout(network)
    window = _map_window(network, pos) if crop else None
    if axes is None:
        extent = np.ptp(pos, axis=0) if window is None else \
            np.array([window[1] - window[0], window[3] - window[2]])
        ratio = float(np.clip(extent[1] / max(extent[0], 1e-9), 0.5, 1.6))
        width = 4.6
        fig, axes = plt.subplots(1, 1 + len(times),
                                 figsize=(width * (1 + len(times)) + 1.6,
                                          round(0.9 * width * ratio + 1.0, 1)),
                                 layout="constrained", squeeze=False)
        axes = axes[0]
    else:
        fig = axes[0].figure
    what = f" {label}" if label else ""
    _draw_network(axes[0], network, pos, network.active_at(at, before=True).to_numpy(),
                  f"just before{what} (day {format_number(at)})", window)
    for a, t in zip(axes[1:], times):
        title = (f"just after{what} (day {format_number(t)})" if t == at else
                 f"day {format_number(t)} ({format_number(t - at)} days "
                 f"{'after' if t > at else 'before'}{what or ''})")
        _draw_network(a, network, pos, network.active_at(t).to_numpy(), title, window)
    handles = {}
    for a in axes[:1 + len(times)]:
        for h, lab in zip(*a.get_legend_handles_labels()):
            handles.setdefault(lab, h)
    axes[min(len(times), len(axes) - 1)].legend(
        handles.values(), handles.keys(), fontsize=8, loc="upper left",
        bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    fig.suptitle(f"{run.name}: network")
    return fig


def plot_sensitivity(table: pd.DataFrame, labels: Optional[dict] = None, title: str = "",
                     ax=None):
    """A tornado chart of sensitivity indices (a table from morris_indices or sobol_indices):
    one row per factor, most influential on top, each index with its bootstrap interval. Sobol:
    first-order (S1) and total-order (ST) bars; Morris: mu* bars with sigma as open circles; a
    black tick at the part of ST or mu* that is noise between replicates, where known.
    `labels`: shorter names for the factors (key path -> label)."""
    sobol = "ST" in table
    fig, a = _axes(ax, figsize=(8, 0.42 * len(table) + 1.8))
    names = [(labels or {}).get(f, f) for f in table.index]
    y = np.arange(len(table))[::-1]
    bars = (("S1", "first order S1", -0.18), ("ST", "total order ST", 0.18)) if sobol \
        else (("mu_star", "mu* (mean |elementary effect|)", 0.0),)
    height = 0.34 if sobol else 0.6
    for j, (column, label, shift) in enumerate(bars):
        value = table[column].to_numpy(dtype=float)
        error = [value - table[f"{column}_low"].to_numpy(dtype=float),
                 table[f"{column}_high"].to_numpy(dtype=float) - value]
        a.barh(y + shift, value, height=height, color=_COLOURS[j], alpha=0.8, label=label)
        a.errorbar(value, y + shift, xerr=np.clip(error, 0, None), fmt="none", ecolor="0.2",
                   capsize=3, linewidth=1)
    if not sobol:
        a.plot(table["sigma"], y, "o", mfc="none", color=_COLOURS[1], label="sigma (spread)")
    noise = "ST_noise" if sobol else "mu_star_noise"
    if noise in table and np.isfinite(table[noise]).any():
        a.plot(table[noise], y + (0.18 if sobol else 0.0), "|", color="k", markersize=12,
               label="of which noise between replicates")
    a.axvline(0, color="0.3", linewidth=0.8)
    a.set_yticks(y, names)
    confidence = table.attrs.get("confidence", 0.95)
    a.set_xlabel(("Sobol index" if sobol else "elementary effect") +
                 f" ({confidence:.0%} bootstrap interval)")
    a.legend(fontsize=8, loc="lower right")
    a.grid(axis="x", alpha=0.3)
    if title:
        a.set_title(title)
    return fig
