"""Standard plots of interdict results. Each function returns the matplotlib Figure (and
draws into `ax` when one is given), so notebooks show it and scripts can save it."""
from __future__ import annotations

import dataclasses
import math
from typing import Optional, Sequence, Union

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import xarray as xr

from .results import Network, Run, Study
from .stats import compare, compare_series

_COLOURS = plt.rcParams["axes.prop_cycle"].by_key()["color"]


def _label(attrs: dict, name: str) -> str:
    units = attrs.get("units", "")
    return f"{name} [{units}]" if units and units != "1" else name


def _per_day(values: np.ndarray, time: np.ndarray, window_days: float) -> np.ndarray:
    """Rate of change per day of a cumulative series (last axis), averaged over a trailing
    window of `window_days`."""
    step = float(np.median(np.diff(time))) if len(time) > 1 else 1.0
    lag = max(1, int(round(window_days / step)))
    out = np.full(values.shape, np.nan)
    out[..., lag:] = (values[..., lag:] - values[..., :-lag]) / (lag * step)
    return out


def _with_rate(study: Study, metric: str, window_days: float) -> tuple[Study, str]:
    name = f"{metric}_per_day"
    ts = study.timeseries.copy()
    ts[name] = (ts[metric].dims, _per_day(ts[metric].values, ts["time"].values, window_days))
    units = ts[metric].attrs.get("units", "")
    ts[name].attrs = {"units": f"{units}/d" if units and units != "1" else "1/d",
                      "long_name": f"{metric} per day ({window_days:g}-day average)"}
    return dataclasses.replace(study, timeseries=ts), name


def _axes(ax, figsize=(8, 4.5)):
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


def _mark_interventions(ax, log: pd.DataFrame, colour_of=None):
    """Vertical lines at the (median) firing time of each intervention, labelled with its id."""
    if log is None or len(log) == 0:
        return
    keys = ["variant", "id"] if "variant" in log else ["id"]
    for key, rows in log.groupby(keys if len(keys) > 1 else keys[0], sort=False):
        key = key if isinstance(key, tuple) else (key,)
        t = float(np.median(rows["time"]))
        colour = colour_of(key[0]) if colour_of and len(keys) == 2 else "0.3"
        ax.axvline(t, color=colour, linestyle="--", linewidth=1, alpha=0.8)
        ax.annotate(key[-1], (t, 1.0), xycoords=("data", "axes fraction"), rotation=90,
                    va="top", ha="right", fontsize=8, color=colour, xytext=(-2, -2),
                    textcoords="offset points")


def plot_timeseries(result: Union[Run, Study], metric: str, by: str = "variant",
                    confidence: float = 0.95, per_day: bool = False, window_days: float = 30.0,
                    interventions: bool = True, groups: Optional[Sequence] = None,
                    baseline=None, ax=None):
    """A metric over time. For a study: the mean per group (default: per variant) with its
    confidence band over replicates; for a run: the run's values. Interventions are marked
    where they fired (for a study, at the median firing time per variant).

    per_day=True turns a cumulative metric (delivered_kg, seized_kg, ...) into a rate per day,
    averaged over the trailing `window_days`. With a baseline (a study's group), each group's
    paired difference to it is drawn instead (see compare_series).
    """
    fig, ax = _axes(ax)
    if isinstance(result, Run):
        ts = result.timeseries
        if metric not in ts:
            raise KeyError(f"no time series {metric!r}; available: {', '.join(ts.data_vars)}")
        values, attrs = ts[metric].values, ts[metric].attrs
        name = metric
        if per_day:
            values = _per_day(values, ts["time"].values, window_days)
            name = f"{metric} per day ({window_days:g}-day average)"
        ax.plot(ts["time"].values, values, color=_COLOURS[0], label=result.name)
        ax.set_ylabel(_label({"units": attrs.get("units", "") + ("/d" if per_day else "")}, name))
        if interventions:
            _mark_interventions(ax, result.interventions)
        ax.set_title(f"{result.name}: {name}")
    else:
        study, name = (_with_rate(result, metric, window_days) if per_day else (result, metric))
        summary = compare_series(study, name, by=by, baseline=baseline, confidence=confidence)
        chosen = list(summary[by].values) if groups is None else list(groups)
        colour = {g: _COLOURS[i % len(_COLOURS)] for i, g in enumerate(summary[by].values)}
        time = summary["time"].values
        for g in chosen:
            s = summary.sel({by: g})
            ax.plot(time, s["mean"].values, color=colour[g], label=str(g))
            ax.fill_between(time, s["ci_low"].values, s["ci_high"].values, color=colour[g],
                            alpha=0.2, linewidth=0)
        if interventions and len(study.interventions):
            log = study.interventions
            if by == "variant":
                log = log[log["variant"].isin(chosen)]
                _mark_interventions(ax, log, colour_of=lambda v: colour.get(v, "0.3"))
            else:
                _mark_interventions(ax, log.drop(columns=["variant"]))
        ax.set_ylabel(_label(study.timeseries[name].attrs,
                             name if baseline is None else f"{name} - {baseline}"))
        n = int(summary["n"].max()) if summary["n"].size else 0
        what = "mean and" if baseline is None else f"paired difference to {baseline},"
        ax.set_title(f"{result.name}: {name}, {what} {confidence:.0%} interval "
                     f"(up to {n} runs per {by})", fontsize=10)
        if baseline is not None:
            ax.axhline(0, color="0.3", linewidth=1)
        ax.legend(title=by, fontsize=8)
    ax.set_xlabel("time [days]")
    ax.grid(alpha=0.3)
    return fig


def plot_comparison(study: Study, metric: str, by: str = "variant", baseline=None,
                    confidence: float = 0.95, ax=None):
    """Groups compared as intervals: each group's mean with its confidence interval, and,
    given a baseline, the paired difference to it (the unpaired interval drawn faintly
    behind, to show what common random numbers buy)."""
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
    units = study.units.get(metric, "")
    a.set_xlabel(metric + (f" [{units}]" if units else ""))
    a.set_title(f"mean and {confidence:.0%} interval")
    a.grid(axis="x", alpha=0.3)
    if baseline is not None and len(axes) > 1:
        b = axes[1]
        table = table.assign(**{c: np.where(table.index.get_level_values(0) == baseline, np.nan,
                                            table[c])
                                for c in table.columns if c.startswith("diff_")})
        half_unpaired = table["diff_ci_halfwidth_unpaired"]
        b.errorbar(table["diff_mean"], y, xerr=half_unpaired, fmt="none", ecolor="0.75",
                   elinewidth=6, capsize=0, label="unpaired (Welch)")
        b.errorbar(table["diff_mean"], y, xerr=[table["diff_mean"] - table["diff_ci_low"],
                                                table["diff_ci_high"] - table["diff_mean"]],
                   fmt="o", color=_COLOURS[1], capsize=4, label="paired")
        b.axvline(0, color="0.3", linewidth=1)
        b.set_yticks(y, labels)
        b.set_xlabel(f"difference to {baseline}")
        b.set_title(f"paired difference, {confidence:.0%} interval")
        b.legend(fontsize=8, loc="best")
        b.grid(axis="x", alpha=0.3)
    fig.suptitle(f"{study.name}: {metric}")
    return fig


def plot_response(study: Study, metric: str, x: str, y: Optional[str] = None,
                  by: Optional[str] = None, confidence: float = 0.95, ax=None):
    """How an end-of-run metric responds to swept parameters: with one parameter, the mean and
    its confidence band against x (one line per value of `by`, e.g. the variant); with two, a
    heat map of the mean over the (x, y) grid (pooling the other conditions; select runs
    first, e.g. with dataclasses.replace(study, runs=...), to fix them)."""
    fig, ax = _axes(ax, figsize=(7, 4.5))
    if y is None:
        groups = [None] if by is None else list(dict.fromkeys(study.runs[by]))
        for i, g in enumerate(groups):
            subset = study if g is None else dataclasses.replace(
                study, runs=study.runs[study.runs[by] == g])
            table = compare(subset, metric, by=x, confidence=confidence).sort_index()
            xs = table.index.to_numpy(dtype=float)
            colour = _COLOURS[i % len(_COLOURS)]
            ax.plot(xs, table["mean"], marker="o", color=colour,
                    label=None if g is None else str(g))
            ax.fill_between(xs, table["ci_low"], table["ci_high"], color=colour, alpha=0.2,
                            linewidth=0)
        if by is not None:
            ax.legend(title=by, fontsize=8)
        ax.set_xlabel(x)
        ax.set_ylabel(metric)
        ax.grid(alpha=0.3)
        ax.set_title(f"{study.name}: {metric} against {x} ({confidence:.0%} interval)")
    else:
        table = compare(study, metric, by=[x, y], confidence=confidence)
        grid = table["mean"].unstack(y).sort_index().sort_index(axis=1)
        image = ax.imshow(grid.to_numpy(dtype=float).T, origin="lower", aspect="auto",
                          cmap="viridis")
        ax.set_xticks(range(len(grid.index)), [f"{v:g}" for v in grid.index])
        ax.set_yticks(range(len(grid.columns)), [f"{v:g}" for v in grid.columns])
        for i in range(grid.shape[0]):
            for j in range(grid.shape[1]):
                value = grid.iat[i, j]
                if np.isfinite(value):
                    ax.text(i, j, f"{value:.3g}", ha="center", va="center", fontsize=8,
                            color="white")
        fig.colorbar(image, ax=ax, label=f"mean {metric}")
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        ax.set_title(f"{study.name}: mean {metric}")
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


def _draw_network(ax, network: Network, pos: np.ndarray, active: np.ndarray, title: str):
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
                       linewidths=1.2)
        if kind != "place":
            counts.append(f"{kind}s {int(on.sum())}/{int(rows.sum())}")
    for i in np.flatnonzero((nodes["kind"] == "place").to_numpy()):
        ax.annotate(nodes["id"].iat[i], pos[i], fontsize=6, color="0.3", xytext=(3, -8),
                    textcoords="offset points")
    ax.set_title(title, fontsize=10)
    ax.text(0.01, 0.01, ", ".join(counts) + " operating", transform=ax.transAxes, fontsize=8,
            va="bottom")
    ax.set_aspect("equal", adjustable="datalim")
    ax.autoscale_view()
    ax.tick_params(labelsize=7)


def plot_network(run: Run, at: Union[float, str, None] = None, after: Optional[float] = None,
                 axes=None):
    """The network just before and after an intervention: operating nodes filled, stopped ones
    as red crosses, ties to a stopped node dotted. Places sit at their coordinates.

    `at`: an intervention id, a time in days, or None for the first intervention that fired (or
    the end of the run when none did). `after`: the time of the second panel (default: `at`,
    just after the intervention; later times show the recovery).
    """
    network = run.network
    if network is None:
        raise ValueError(f"{run.path}: holds no /network group (written before it was added)")
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
    after = at if after is None else float(after)
    pos = network_layout(network)
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(12, 6), layout="constrained")
    else:
        fig = axes[0].figure
    before_state = network.active_at(at, before=True).to_numpy()
    after_state = network.active_at(after).to_numpy()
    what = f" {label}" if label else ""
    _draw_network(axes[0], network, pos, before_state, f"before{what} (day {at:g})")
    _draw_network(axes[1], network, pos, after_state,
                  f"after{what} (day {after:g})" if after == at else f"day {after:g}")
    axes[0].legend(fontsize=8, loc="upper left")
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
