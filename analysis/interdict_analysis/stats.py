"""Comparing variants of a study: means with confidence intervals over replicates, and paired
differences against a baseline (tight when the study uses common random numbers)."""
from __future__ import annotations

import math
from typing import Optional, Sequence, Union

import numpy as np
import pandas as pd
import scipy.stats
import xarray as xr

from .results import Study


def t_quantile(p, df):
    """Quantile of Student's t (for example t_quantile(0.975, 9) = 2.262157), by
    scipy.stats.t.ppf: NaN where df is not positive; p and df may be arrays."""
    if not np.all((np.asarray(p) > 0.0) & (np.asarray(p) < 1.0)):
        raise ValueError("p must be in (0, 1)")
    q = scipy.stats.t.ppf(p, df)
    return float(q) if np.ndim(q) == 0 else q


def _interval(values: np.ndarray, confidence: float):
    """(n, mean, sd, half-width of the t interval) of the finite values."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    n = len(v)
    if n == 0:
        return 0, math.nan, math.nan, math.nan
    mean = float(v.mean())
    if n == 1:
        return 1, mean, math.nan, math.nan
    sd = float(v.std(ddof=1))
    return n, mean, sd, t_quantile(0.5 + confidence / 2.0, n - 1) * sd / math.sqrt(n)


# --- comparing variants ------------------------------------------------------------------------

Key = Union[str, Sequence[str]]


def _as_list(by: Key) -> list:
    return [by] if isinstance(by, str) else list(by)


def _pairing_columns(runs: pd.DataFrame, by: list, parameters: Sequence[str]) -> list:
    """Columns that identify 'the same conditions' across the groups: the replicate, and every
    varied parameter that is not a property of the group itself (one that varies within a
    group, or is the same for all runs)."""
    columns = ["replicate"]
    for p in parameters:
        if p in by or p not in runs:
            continue
        per_group = runs.groupby(by, sort=False)[p].nunique(dropna=False)
        if (per_group > 1).any() or runs[p].nunique(dropna=False) == 1:
            columns.append(p)
    return columns


def window_values(study: Study, metric: str, window, statistic: Optional[str] = None) -> pd.Series:
    """Each run's value of time series `metric` over the window (start, end) in days, as a
    Series indexed by run key: for a cumulative series (its long_name starts with
    "cumulative") what it gained over the window, end value minus start value; for any other
    series its mean over the samples in the window. `statistic` ("increase" or "mean")
    overrides the choice."""
    start, end = (float(x) for x in window)
    if not start < end:
        raise ValueError(f"window {window!r}: the start must come before the end")
    ts = study.timeseries
    if metric not in ts:
        raise KeyError(f"no time series {metric!r} in the study")
    series = ts[metric]
    if statistic is None:
        cumulative = str(series.attrs.get("long_name", "")).startswith("cumulative")
        statistic = "increase" if cumulative else "mean"
    if statistic == "increase":
        values = series.interp(time=end) - series.interp(time=start)
    elif statistic == "mean":
        values = series.sel(time=slice(start, end)).mean("time")
    else:
        raise ValueError(f"statistic {statistic!r}: 'increase' or 'mean'")
    return pd.Series(values.values, index=ts["run"].values, name=metric)


def compare(study: Study, metric: str, by: Key = "variant", baseline=None,
            confidence: float = 0.95, pair_on: Optional[Sequence[str]] = None,
            window=None, statistic: Optional[str] = None) -> pd.DataFrame:
    """Per-group means of an end-of-run metric with t confidence intervals over the runs, and,
    given a baseline, differences against it.

    With `window=(start, end)` (days) the metric is a time series taken over that window
    instead (see window_values: what a cumulative series gained there, the mean of any other),
    for questions such as "what did it change from day 300 on".

    - `by`: the column(s) of `study.runs` that define groups (default: the variant).
    - `baseline`: a value of the first `by` column. Each run is paired with the baseline run
      under the same conditions (the same replicate and the same values of the other varied
      parameters, or the columns in `pair_on`); with common random numbers both saw the same
      random draws, so the paired interval is much tighter than comparing two means.

    Columns: n, mean, sd, ci_low, ci_high; with a baseline also diff_n, diff_mean, diff_sd,
    diff_ci_low, diff_ci_high, diff_relative (diff_mean / baseline mean) and
    diff_ci_halfwidth_unpaired (Welch's interval, for contrast).
    """
    by = _as_list(by)
    runs = study.runs
    if window is not None:
        runs = runs.copy()
        runs[metric] = window_values(study, metric, window, statistic).reindex(runs.index)
    if metric not in runs:
        numeric = [c for c in runs.columns if pd.api.types.is_numeric_dtype(runs[c])]
        raise KeyError(f"no metric {metric!r} in the runs table; numeric columns: "
                       f"{', '.join(numeric)}")
    for column in by:
        if column not in runs:
            raise KeyError(f"no column {column!r} in the runs table; columns: "
                           f"{', '.join(runs.columns)}")
    ok = runs[runs["status"] == "ok"].reset_index()
    rows = []
    for key, group in ok.groupby(by[0] if len(by) == 1 else by, sort=False):
        n, mean, sd, half = _interval(group[metric].to_numpy(), confidence)
        rows.append((*(key if isinstance(key, tuple) else (key,)), n, mean, sd, mean - half,
                     mean + half))
    table = pd.DataFrame(rows, columns=by + ["n", "mean", "sd", "ci_low", "ci_high"])
    table = table.set_index(by)
    if baseline is None:
        return table
    if baseline not in set(ok[by[0]]):
        raise KeyError(f"baseline {baseline!r} is not a value of {by[0]!r}: "
                       f"{', '.join(map(str, dict.fromkeys(ok[by[0]])))}")
    keys = list(pair_on) if pair_on is not None else _pairing_columns(ok, by, study.parameters)
    match = keys + by[1:]
    base = ok[ok[by[0]] == baseline][match + [metric]].rename(columns={metric: "_base"})
    if base.duplicated(match).any():
        raise ValueError(f"baseline runs are not unique on {match}; pass pair_on=")
    diffs = []
    for key, group in ok.groupby(by[0] if len(by) == 1 else by, sort=False):
        paired = group.merge(base, on=match, how="inner")
        d = (paired[metric] - paired["_base"]).to_numpy()
        n, mean, sd, half = _interval(d, confidence)
        base_mean = float(paired["_base"].mean()) if len(paired) else math.nan
        # Welch's unpaired interval on the same runs, to show what pairing buys.
        a, b = paired[metric].to_numpy(float), paired["_base"].to_numpy(float)
        welch = math.nan
        if len(a) > 1:
            va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
            if va + vb > 0:
                df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
                welch = t_quantile(0.5 + confidence / 2.0, df) * math.sqrt(va + vb)
            else:
                welch = 0.0
        diffs.append((*(key if isinstance(key, tuple) else (key,)), n, mean, sd, mean - half,
                      mean + half, mean / base_mean if base_mean else math.nan, welch))
    diff = pd.DataFrame(diffs, columns=by + ["diff_n", "diff_mean", "diff_sd", "diff_ci_low",
                                             "diff_ci_high", "diff_relative",
                                             "diff_ci_halfwidth_unpaired"]).set_index(by)
    return table.join(diff)


def paired_runs(study: Study, baseline, by: str = "variant",
                pair_on: Optional[Sequence[str]] = None) -> pd.Series:
    """For every successful run, the key of the baseline run under the same conditions (see
    compare()): a Series indexed by run key, NaN where no baseline run matches."""
    ok = study.runs[study.runs["status"] == "ok"].reset_index()
    keys = list(pair_on) if pair_on is not None else _pairing_columns(ok, [by], study.parameters)
    base = ok[ok[by] == baseline][keys + ["run_key"]].rename(columns={"run_key": "_baseline"})
    merged = ok[["run_key"] + keys].merge(base, on=keys, how="left")
    return pd.Series(merged["_baseline"].to_numpy(), index=merged["run_key"], name="baseline")


def compare_series(study: Study, metric: str, by: str = "variant", baseline=None,
                   confidence: float = 0.95, pair_on: Optional[Sequence[str]] = None
                   ) -> xr.Dataset:
    """Mean and t confidence interval of a time series per group, over the runs at each time:
    a Dataset with variables mean, ci_low, ci_high and n on dimensions (by, time).

    Given a baseline (a value of `by`), each run's series is first replaced by its difference
    to the paired baseline run's (see compare()), so the band is that of the paired difference.
    """
    ts = study.timeseries
    if metric not in ts:
        raise KeyError(f"no time series {metric!r}; available: {', '.join(ts.data_vars)}")
    if by not in ts.coords:
        raise KeyError(f"no run coordinate {by!r}; available: "
                       f"{', '.join(c for c in ts.coords if c not in ('run', 'time'))}")
    ok = ts[metric].where(ts["status"] == "ok", drop=True) if "status" in ts.coords else ts[metric]
    if baseline is not None:
        pairs = paired_runs(study, baseline, by=by, pair_on=pair_on).reindex(ok["run"].values)
        have = pairs.notna().to_numpy()
        ok = ok.isel(run=np.flatnonzero(have))
        base = ts[metric].sel(run=list(pairs[have])).values
        ok = ok.copy(data=ok.values - base)
    groups, means, lows, highs, counts = [], [], [], [], []
    for value in dict.fromkeys(ok[by].values):
        x = ok.where(ok[by] == value, drop=True).values  # (runs, time)
        n = np.isfinite(x).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(n > 0, np.nansum(x, axis=0) / np.maximum(n, 1), np.nan)
            sd = np.sqrt(np.nansum((x - mean) ** 2, axis=0) / np.maximum(n - 1, 1))
        q = t_quantile(0.5 + confidence / 2.0, np.arange(int(n.max(initial=0)) + 1) - 1)
        half = np.where(n > 1, q[n] * sd / np.sqrt(np.maximum(n, 1)), np.nan)
        groups.append(value)
        means.append(mean)
        lows.append(mean - half)
        highs.append(mean + half)
        counts.append(n)
    dims = (by, "time")
    out = xr.Dataset({"mean": (dims, np.array(means)), "ci_low": (dims, np.array(lows)),
                      "ci_high": (dims, np.array(highs)), "n": (dims, np.array(counts))},
                     coords={by: groups, "time": ts["time"].values})
    out["mean"].attrs = dict(ts[metric].attrs)
    out.attrs["confidence"] = confidence
    out.attrs["metric"] = metric
    return out
