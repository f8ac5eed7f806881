"""Global sensitivity analysis of studies with a [morris] or [sobol] design: Morris elementary
effects (mu*, mu, sigma) and Sobol first- and total-order indices, with bootstrap intervals.

    study = ia.open_study("results/sensitivity")
    delivered = ia.window_values(study, "delivered_kg", (250, 430))
    effect = ia.paired_difference(study, delivered, "takedown", "no-action", relative=True)
    ia.morris_indices(study, effect)          # or ia.sobol_indices(study, effect)

The output may be any per-run quantity indexed by run key: a column of `study.runs`, the
window_values of a time series, or a paired difference between two variants. The design's
structure is read from the study (its `design` attribute and the runs' design_* columns,
docs/output-format.md), never inferred. Replicates of a design point are averaged before the
indices are computed; replicate_noise() says how much of the output's variance is noise between
them. Estimators: Morris (1991) with Campolongo et al. (2007)'s mu*; Saltelli et al. (2010) for
first-order and Jansen (1999) for total-order indices; percentile bootstrap intervals that
resample Morris trajectories or Sobol base rows.
"""
from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from typing import Optional

import numpy as np
import pandas as pd

from .results import Study
from .stats import paired_runs


@dataclass
class Design:
    """A study's sensitivity design: the method, its factors in design order (design_factor
    indexes them) with their ranges and scales, and the method's settings."""
    method: str
    factors: list
    low: np.ndarray
    high: np.ndarray
    log: np.ndarray
    settings: dict

    def unit(self, runs: pd.DataFrame) -> np.ndarray:
        """The runs' factor values as coordinates in the unit cube, shape (runs, factors)."""
        x = runs[self.factors].to_numpy(dtype=float)
        lo, hi = self.low, self.high
        linear = (x - lo) / (hi - lo)
        with np.errstate(divide="ignore", invalid="ignore"):
            logged = (np.log(x) - np.log(lo)) / (np.log(hi) - np.log(lo))
        return np.where(self.log, logged, linear)


def design_of(study: Study) -> Design:
    """The [morris] or [sobol] design a study was planned with (its `design` attribute)."""
    text = study.attrs.get("design")
    if not text:
        raise ValueError(f"study {study.name!r} has no [morris] or [sobol] design (its files "
                         "carry no 'design' attribute)")
    d = json.loads(text)
    factors = d.pop("factors")
    method = d.pop("method")
    return Design(method, [f["key"] for f in factors],
                  np.array([f["low"] for f in factors], dtype=float),
                  np.array([f["high"] for f in factors], dtype=float),
                  np.array([f["scale"] == "log" for f in factors]), d)


def _design(study: Study, method: str) -> Design:
    design = design_of(study)
    if design.method != method:
        raise ValueError(f"study {study.name!r} has a {design.method} design, not {method}")
    for column in ("design_point", "design_block", "design_role", "design_factor"):
        if column not in study.runs:
            raise ValueError(f"study {study.name!r}: the runs table has no {column} column")
    return design


def _runs_of(study: Study, values: pd.Series, variant: Optional[str]) -> pd.DataFrame:
    """The runs with a finite value (not failed), of one variant, with the value as `y`."""
    runs = study.runs.assign(y=pd.to_numeric(values.reindex(study.runs.index), errors="coerce"))
    runs = runs[np.isfinite(runs["y"].to_numpy(dtype=float)) & (runs["status"] != "failed")]
    if variant is not None:
        runs = runs[runs["variant"] == variant]
    elif runs["variant"].nunique() > 1:
        raise ValueError("the values cover variants " + ", ".join(runs["variant"].unique()) +
                         ": pass variant=, or a paired_difference of two of them")
    if runs.empty:
        raise ValueError("no run has a finite value" +
                         (f" in variant {variant!r}" if variant is not None else ""))
    return runs


def point_means(study: Study, values: pd.Series, variant: Optional[str] = None) -> pd.DataFrame:
    """Per design point (index design_point): `y`, the mean of `values` over its replicates;
    `n`, how many; `var`, their variance; the point's block, role and factor; and u0, u1, ...,
    its unit-cube coordinates."""
    design = design_of(study)
    runs = _runs_of(study, values, variant)
    grouped = runs.groupby("design_point", sort=True)
    points = pd.DataFrame({"y": grouped["y"].mean(), "n": grouped["y"].count(),
                           "var": grouped["y"].var(ddof=1)})
    first = grouped.head(1).set_index("design_point").reindex(points.index)
    points["block"] = first["design_block"].astype(int)
    points["role"] = first["design_role"]
    points["factor"] = first["design_factor"].astype(int)
    unit = design.unit(first)
    for i in range(len(design.factors)):
        points[f"u{i}"] = unit[:, i]
    points.index = points.index.astype(int)
    return points


def _difference_noise(runs: pd.DataFrame, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """For pairs of design points, the variance of the mean over replicates of y(first) -
    y(second), from the spread of the replicates' differences: the noise left in a point-to-point
    difference once common random numbers have cancelled what they can (NaN with fewer than two
    replicates)."""
    table = runs.set_index(["design_point", "replicate"])["y"].unstack("replicate")
    d = table.reindex(first).to_numpy(dtype=float) - table.reindex(second).to_numpy(dtype=float)
    n = np.isfinite(d).sum(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.where(n > 1, np.nanvar(d, axis=1, ddof=1) / np.maximum(n, 1), np.nan)


def replicate_noise(study: Study, values: pd.Series, variant: Optional[str] = None) -> dict:
    """How much of the output's variance is noise between replicates of one point: the pooled
    within-point variance, the variance of single runs and of point means, `noise_share` (within
    / single runs: the part of a run's variance no parameter explains) and
    `noise_in_point_means` (within / replicates, over the variance of the point means: the part
    the indices are computed on that is still noise)."""
    runs = _runs_of(study, values, variant)
    points = point_means(study, values, variant)
    repeated = points[points["n"] > 1]
    dof = float((repeated["n"] - 1).sum())
    within = float(((repeated["n"] - 1) * repeated["var"]).sum() / dof) if dof else np.nan
    total = float(np.var(runs["y"].to_numpy(dtype=float), ddof=1))
    between = float(np.var(points["y"].to_numpy(dtype=float), ddof=1))
    replicates = float(points["n"].mean())
    return {"points": len(points), "replicates": replicates, "noise_variance": within,
            "run_variance": total, "point_mean_variance": between,
            "noise_share": within / total if total > 0 else np.nan,
            "noise_in_point_means": within / replicates / between if between > 0 else np.nan}


def paired_difference(study: Study, values: pd.Series, treatment: str, baseline: str,
                      relative: bool = False) -> pd.Series:
    """Per treatment run, its value minus that of the baseline variant's run at the same design
    point and replicate (same parameters and, with common random numbers, the same random
    draws). With relative=True the difference is divided by the baseline's mean over the
    point's replicates, so that a point's mean is mean difference / mean baseline (as
    analysis/takedown_effect.py reports it), defined wherever some baseline run has a value.
    Indexed by the treatment run's key, ready for morris_indices / sobol_indices."""
    runs = study.runs
    pair_on = ["design_point", "replicate"] if "design_point" in runs else None
    partner = paired_runs(study, baseline, pair_on=pair_on)
    keys = runs.index[(runs["variant"] == treatment) & (runs["status"] == "ok")]
    if len(keys) == 0:
        raise KeyError(f"no successful run of variant {treatment!r}")
    base = values.reindex(partner.reindex(keys).to_numpy()).to_numpy(dtype=float)
    diff = values.reindex(keys).to_numpy(dtype=float) - base
    if relative:
        group = runs.loc[keys, "design_point"].to_numpy() if pair_on else np.arange(len(keys))
        scale = pd.Series(base).groupby(group).transform("mean").to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            diff = np.where(scale != 0, diff / scale, np.nan)
    name = f"{values.name or 'value'}: {treatment} - {baseline}" + (" (relative)" if relative
                                                                  else "")
    return pd.Series(diff, index=keys, name=name)


def _interval(estimate: np.ndarray, draws: np.ndarray, confidence: float):
    """Percentile bootstrap interval of each column of `draws` (NaN-aware)."""
    tail = (1.0 - confidence) / 2.0 * 100.0
    low = np.nanpercentile(draws, tail, axis=0)
    high = np.nanpercentile(draws, 100.0 - tail, axis=0)
    return estimate, low, high


def _table(design: Design, columns: dict, attrs: dict) -> pd.DataFrame:
    table = pd.DataFrame(columns, index=pd.Index(design.factors, name="factor"))
    table.attrs.update(attrs)
    return table


# --- Morris ------------------------------------------------------------------------------------

def elementary_effects(study: Study, values: pd.Series,
                       variant: Optional[str] = None) -> pd.DataFrame:
    """The elementary effects of a Morris design, (y(step) - y(point before)) / (change of the
    moved factor in unit-cube coordinates), as a (trajectory, factor) DataFrame; NaN where a
    run is missing."""
    design = _design(study, "morris")
    points = point_means(study, values, variant)
    trajectories = int(design.settings["trajectories"])
    effects = np.full((trajectories, len(design.factors)), np.nan)
    steps = points[points["role"] == "step"]
    for index, step in steps.iterrows():
        if index - 1 not in points.index or points.at[index - 1, "block"] != step["block"]:
            continue  # the point before failed or has no value
        i = int(step["factor"])
        du = step[f"u{i}"] - points.at[index - 1, f"u{i}"]
        effects[int(step["block"]), i] = (step["y"] - points.at[index - 1, "y"]) / du
    return pd.DataFrame(effects, columns=design.factors).rename_axis("trajectory")


def _morris_noise(study: Study, values: pd.Series, variant: Optional[str], k: int) -> np.ndarray:
    """Per factor, the mu* that the noise left in its elementary effects would give on its own:
    E|N(0, s^2)| = s sqrt(2 / pi), s^2 the variance of an effect's replicate mean."""
    runs = _runs_of(study, values, variant)
    points = point_means(study, values, variant)
    steps = points[(points["role"] == "step") & points.index.isin(points.index + 1)]
    before = steps.index.to_numpy() - 1
    var = _difference_noise(runs, steps.index.to_numpy(), before)
    factor = steps["factor"].to_numpy()
    du = np.array([steps.iloc[j][f"u{i}"] - points.at[b, f"u{i}"]
                   for j, (i, b) in enumerate(zip(factor, before))], dtype=float)
    spread = pd.Series(np.sqrt(var) / np.abs(du)).groupby(factor).mean()
    return spread.reindex(range(k)).to_numpy() * np.sqrt(2.0 / np.pi)


def _morris_statistics(effects: np.ndarray):
    """mu*, mu and sigma of each factor over the trajectories (axis -2)."""
    with warnings.catch_warnings():  # a factor without effects (all NaN) gives NaN quietly
        warnings.simplefilter("ignore", RuntimeWarning)
        return (np.nanmean(np.abs(effects), axis=-2), np.nanmean(effects, axis=-2),
                np.nanstd(effects, axis=-2, ddof=1))


def morris_indices(study: Study, values: pd.Series, variant: Optional[str] = None,
                   bootstrap: int = 2000, confidence: float = 0.95, seed: int = 1) -> pd.DataFrame:
    """Morris screening measures per factor: mu_star (mean absolute elementary effect: the
    factor's influence), mu (mean effect: its sign) and sigma (spread: interactions and
    non-linearity), each with a percentile bootstrap interval over trajectories (columns
    mu_star_low, mu_star_high, ...), and n, the effects each rests on. Sorted by mu_star.
    Effects are in output units per whole range of the factor. mu_star_noise: the mu* the
    noise left in the factor's effects would give on its own (from the spread of the
    replicates' differences; 0 for a factor that changes nothing). table.attrs holds
    replicate_noise()."""
    design = _design(study, "morris")
    effects = elementary_effects(study, values, variant).to_numpy()
    mu_star, mu, sigma = _morris_statistics(effects)
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, len(effects), size=(bootstrap, len(effects)))
    draws = [np.stack(s) for s in zip(*(_morris_statistics(effects[r]) for r in rows))]
    columns = {"n": np.isfinite(effects).sum(axis=0)}
    for name, estimate, sample in zip(("mu_star", "mu", "sigma"), (mu_star, mu, sigma), draws):
        columns[name], columns[f"{name}_low"], columns[f"{name}_high"] = \
            _interval(estimate, sample, confidence)
    columns["mu_star_noise"] = _morris_noise(study, values, variant, len(design.factors))
    table = _table(design, columns, replicate_noise(study, values, variant))
    table.attrs.update(method="morris", confidence=confidence, bootstrap=bootstrap)
    return table.sort_values("mu_star", ascending=False)


# --- Sobol -------------------------------------------------------------------------------------

def saltelli_matrices(study: Study, values: pd.Series, variant: Optional[str] = None):
    """(y_A, y_B, y_AB): the outputs of a Sobol design's base rows, shapes (N,), (N,) and
    (N, k), keeping only the rows whose k + 2 points all have a value."""
    design = _design(study, "sobol")
    points = point_means(study, values, variant)
    k = len(design.factors)
    n = int(design.settings["base_points"])
    y_a, y_b, y_ab = np.full(n, np.nan), np.full(n, np.nan), np.full((n, k), np.nan)
    for role, target in (("A", y_a), ("B", y_b)):
        chosen = points[points["role"] == role]
        target[chosen["block"].to_numpy()] = chosen["y"].to_numpy()
    ab = points[points["role"] == "AB"]
    y_ab[ab["block"].to_numpy(), ab["factor"].to_numpy()] = ab["y"].to_numpy()
    whole = np.isfinite(y_a) & np.isfinite(y_b) & np.isfinite(y_ab).all(axis=1)
    return y_a[whole], y_b[whole], y_ab[whole]


def _sobol_estimates(y_a: np.ndarray, y_b: np.ndarray, y_ab: np.ndarray):
    """First-order (Saltelli 2010) and total-order (Jansen 1999) indices of each factor."""
    variance = np.var(np.concatenate([y_a, y_b]))
    if not variance > 0:
        nan = np.full(y_ab.shape[1], np.nan)
        return nan, nan
    first = np.mean(y_b[:, None] * (y_ab - y_a[:, None]), axis=0) / variance
    total = 0.5 * np.mean((y_a[:, None] - y_ab) ** 2, axis=0) / variance
    return first, total


def _sobol_noise(study: Study, values: pd.Series, variant: Optional[str], k: int) -> np.ndarray:
    """Per factor, what noise adds to Jansen's numerator: half the mean variance of the replicate
    mean of y(A_j) - y(AB_j^i)."""
    runs = _runs_of(study, values, variant)
    points = point_means(study, values, variant)
    a_point = pd.Series(points.index[points["role"] == "A"],
                        index=points.loc[points["role"] == "A", "block"].to_numpy())
    ab = points[points["role"] == "AB"]
    partner = a_point.reindex(ab["block"].to_numpy()).to_numpy()
    var = _difference_noise(runs, ab.index.to_numpy(), partner)
    return 0.5 * pd.Series(var).groupby(ab["factor"].to_numpy()).mean().reindex(range(k)).to_numpy()


def sobol_indices(study: Study, values: pd.Series, variant: Optional[str] = None,
                  bootstrap: int = 2000, confidence: float = 0.95, seed: int = 1) -> pd.DataFrame:
    """Sobol indices per factor: S1 (first order: the share of the output's variance the factor
    explains alone) and ST (total order: with all its interactions), each with a percentile
    bootstrap interval over base rows (S1_low, S1_high, ST_low, ST_high), sorted by ST.
    ST_noise: the part of ST that is noise left between replicates (from the spread of the
    replicates' differences y(A_j) - y(AB_j^i); 0 for a factor that changes nothing).
    table.attrs holds replicate_noise(), the base rows used (`rows`) and the output variance."""
    design = _design(study, "sobol")
    y_a, y_b, y_ab = saltelli_matrices(study, values, variant)
    if len(y_a) < 2:
        raise ValueError(f"only {len(y_a)} complete base rows: too few for Sobol indices")
    first, total = _sobol_estimates(y_a, y_b, y_ab)
    rng = np.random.default_rng(seed)
    draws_first, draws_total = [], []
    for _ in range(bootstrap):
        rows = rng.integers(0, len(y_a), size=len(y_a))
        s1, st = _sobol_estimates(y_a[rows], y_b[rows], y_ab[rows])
        draws_first.append(s1)
        draws_total.append(st)
    columns = {}
    columns["S1"], columns["S1_low"], columns["S1_high"] = \
        _interval(first, np.array(draws_first), confidence)
    columns["ST"], columns["ST_low"], columns["ST_high"] = \
        _interval(total, np.array(draws_total), confidence)
    attrs = replicate_noise(study, values, variant)
    variance = float(np.var(np.concatenate([y_a, y_b])))
    columns["ST_noise"] = _sobol_noise(study, values, variant, len(design.factors)) / variance
    attrs.update(method="sobol", confidence=confidence, bootstrap=bootstrap, rows=len(y_a),
                 variance=variance)
    return _table(design, columns, attrs).sort_values("ST", ascending=False)
