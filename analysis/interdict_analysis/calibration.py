"""Posteriors of `interdict calibrate`: summaries, credible intervals and plots.

    cal = ia.open_calibration("results/transit-zone-calibration")   # the directory or its .h5
    ia.posterior_summary(cal)          # weighted mean, sd and credible interval per parameter
    ia.plot_posterior(cal)             # marginals, generation by generation
    ia.plot_pairs(cal)                 # the last generation, parameter against parameter
    ia.plot_fit(cal)                   # each target: observed vs posterior-predictive runs

The file (docs/output-format.md) holds every generation's particles (theta), importance
weights, distances and simulated statistics; a posterior is the last generation's particles
with their weights.
"""
from __future__ import annotations

import pathlib
from typing import Optional, Sequence, Union

import numpy as np
import pandas as pd
import xarray as xr

from .results import FormatError

PathLike = Union[str, pathlib.Path]

FORMAT = "interdict-calibration"


def open_calibration(path: PathLike) -> xr.Dataset:
    """The calibration in a directory written by `interdict calibrate` (or its calibration.h5)
    as an xarray Dataset: theta (generation, particle, parameter), weight, distance, statistic
    (generation, particle, target), epsilon, acceptance_rate, ess, runs per generation,
    observed and observed_sd per target, and the posterior-predictive runs."""
    path = pathlib.Path(path)
    if path.is_dir():
        path = path / "calibration.h5"
    if not path.is_file():
        raise FormatError(f"{path}: no calibration file (run `interdict calibrate` first)")
    ds = xr.open_dataset(path, engine="h5netcdf")
    if ds.attrs.get("format") != FORMAT:
        ds.close()
        raise FormatError(f"{path}: not an interdict calibration file")
    if ds.sizes.get("generation", 0) == 0:
        ds.close()
        raise FormatError(f"{path}: holds no finished generation yet")
    ds.attrs["directory"] = str(path.parent)
    return ds


def open_predictive(cal: xr.Dataset):
    """The posterior-predictive runs of a calibration opened by open_calibration, as a Study
    (their parameters and every series they recorded)."""
    from .results import open_study
    name = cal.attrs.get("predictive_directory", "")
    if not name:
        raise FormatError("the calibration ran no posterior-predictive runs (predictive = 0)")
    return open_study(pathlib.Path(cal.attrs["directory"]) / name / "merged.h5")


def weighted_quantile(values, weights, q) -> np.ndarray:
    """Quantiles of weighted samples (the weighted empirical distribution, interpolated at the
    midpoints of each sample's weight)."""
    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights, dtype=float)
    order = np.argsort(values)
    v, w = values[order], weights[order]
    cumulative = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(np.atleast_1d(q), cumulative, v)


def posterior(cal: xr.Dataset, generation: int = -1) -> xr.Dataset:
    """One generation's particles (theta), weights and distances: the posterior by default."""
    return cal.isel(generation=generation)


def posterior_summary(cal: xr.Dataset, generation: int = -1, level: float = 0.95) -> pd.DataFrame:
    """Per parameter: prior, weighted posterior mean, sd, median and the central `level`
    credible interval, and the interval's width as a share of the prior's 95% range."""
    g = posterior(cal, generation)
    w = g["weight"].values
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
    rows = []
    for p in cal["parameter"].values:
        x = g["theta"].sel(parameter=p).values
        mean = float(np.sum(w * x))
        sd = float(np.sqrt(np.sum(w * (x - mean) ** 2)))
        q = weighted_quantile(x, w, [lo, 0.5, hi])
        first = cal["theta"].isel(generation=0).sel(parameter=p).values  # draws from the prior
        prior_width = float(np.quantile(first, hi) - np.quantile(first, lo))
        rows.append({"parameter": str(p), "prior": str(cal["prior"].sel(parameter=p).values),
                     "mean": mean, "sd": sd, "median": q[1],
                     f"low_{int(level * 100)}": q[0], f"high_{int(level * 100)}": q[2],
                     "width_vs_prior": (q[2] - q[0]) / prior_width if prior_width > 0 else np.nan})
    return pd.DataFrame(rows).set_index("parameter")


def fit_summary(cal: xr.Dataset) -> pd.DataFrame:
    """Per target: observed value and sd, and the posterior-predictive runs' median and 95%
    range (the spread a new run at a posterior draw shows, noise included)."""
    rows = []
    predictive = cal.get("predictive_statistic")
    for t in cal["target"].values:
        row = {"target": str(t), "observed": float(cal["observed"].sel(target=t)),
               "sd": float(cal["observed_sd"].sel(target=t))}
        if predictive is not None and predictive.sizes.get("predictive_run", 0):
            values = predictive.sel(target=t).values
            values = values[np.isfinite(values)]
            row.update(predictive_median=float(np.median(values)),
                       predictive_low_95=float(np.quantile(values, 0.025)),
                       predictive_high_95=float(np.quantile(values, 0.975)))
        rows.append(row)
    return pd.DataFrame(rows).set_index("target")


def parameter_name(cal: xr.Dataset, key: str) -> str:
    """A free parameter as a reader knows it: `patrols[0].intensity` becomes
    `patrols[pacific-maritime-patrol].intensity`, the id read from the calibrated scenario's
    text; the key itself when no id is found."""
    from .plots import label_from_scenario_text
    return label_from_scenario_text(cal.attrs.get("scenario_toml"), key)


def _axes_grid(n: int, ncols: int, size=(3.2, 2.6)):
    import matplotlib.pyplot as plt
    ncols = max(1, min(ncols, n))
    nrows = (n + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(size[0] * ncols, size[1] * nrows),
                             squeeze=False, constrained_layout=True)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, axes.flat


def plot_posterior(cal: xr.Dataset, truth: Optional[dict] = None, ncols: int = 3):
    """Weighted marginal histograms of every parameter: the prior draws (generation 0) in grey,
    the posterior (last generation) in colour, the 95% credible interval shaded; `truth`
    marks known values (a test with synthetic observations)."""
    params = [str(p) for p in cal["parameter"].values]
    fig, axes = _axes_grid(len(params), ncols)
    last = posterior(cal)
    for ax, p in zip(axes, params):
        prior_x = cal["theta"].isel(generation=0).sel(parameter=p).values
        x = last["theta"].sel(parameter=p).values
        w = last["weight"].values
        log_scale = str(cal["prior"].sel(parameter=p).values).startswith("log")
        # Densities per unit of the axis: of log10 x on a log axis, so a log-uniform prior
        # draws flat.
        scale = np.log10 if log_scale else (lambda v: v)
        every = cal["theta"].sel(parameter=p).values.ravel()  # all generations: covers both
        edges = np.histogram_bin_edges(scale(every), bins=30)
        for values, weights, style in ((prior_x, None, dict(color="0.8", label="prior draws")),
                                       (x, w, dict(color="C0", alpha=0.8, label="posterior"))):
            heights, _ = np.histogram(scale(values), bins=edges, weights=weights, density=True)
            ax.stairs(heights, 10 ** edges if log_scale else edges, fill=True, **style)
        if log_scale:
            ax.set_xscale("log")
        lo, hi = weighted_quantile(x, w, [0.025, 0.975])
        ax.axvspan(lo, hi, color="C0", alpha=0.12, label="95% credible")
        if truth and p in truth:
            ax.axvline(truth[p], color="C3", lw=1.5, label="true value")
        ax.set_xlabel(parameter_name(cal, p).replace("].", "]\n"), fontsize=8)
        ax.set_yticks([])
    axes[0].legend(fontsize=7, frameon=False)
    fig.suptitle(f"{cal.attrs.get('calibration_name', '')}: posterior after "
                 f"{cal.sizes['generation']} generations", fontsize=10)
    return fig


def plot_pairs(cal: xr.Dataset, max_points: int = 2000):
    """The last generation's particles, every pair of parameters (point size by weight): ridges
    show combinations the targets pin down while each parameter alone stays loose."""
    import matplotlib.pyplot as plt
    params = [str(p) for p in cal["parameter"].values]
    k = len(params)
    last = posterior(cal)
    w = last["weight"].values
    fig, axes = plt.subplots(k, k, figsize=(2.2 * k + 0.6, 2.2 * k + 0.4), squeeze=False,
                             constrained_layout=True)
    size = 4 + 60 * w / w.max()
    logged = {p: str(cal["prior"].sel(parameter=p).values).startswith("log") for p in params}
    for i, pi in enumerate(params):
        xi = last["theta"].sel(parameter=pi).values[:max_points]
        for j, pj in enumerate(params):
            ax = axes[i, j]
            if i == j:
                bins = np.geomspace(xi.min(), xi.max(), 26) if logged[pi] else 25
                ax.hist(xi, bins=bins, weights=w[:max_points], color="C0")
                ax.set_yticks([])
                if logged[pi]:
                    ax.set_xscale("log")
            elif i > j:
                xj = last["theta"].sel(parameter=pj).values[:max_points]
                ax.scatter(xj, xi, s=size[:max_points], alpha=0.4, color="C0", lw=0)
                if logged[pj]:
                    ax.set_xscale("log")
                if logged[pi]:
                    ax.set_yscale("log")
            else:
                ax.set_visible(False)
            if i == k - 1:  # long names on two lines: entry, then key
                ax.set_xlabel(parameter_name(cal, pj).replace("].", "]\n"), fontsize=8)
            if j == 0 and i > 0:
                ax.set_ylabel(parameter_name(cal, pi).replace("].", "]\n"), fontsize=8)
            ax.tick_params(labelsize=7)
    return fig


def plot_fit(cal: xr.Dataset, ncols: int = 3):
    """Each target: the observed value with ±2 sd, the statistics of the posterior-predictive
    runs (each a new run at a posterior draw) and of the accepted particles of the last
    generation, as strips with their medians."""
    targets = [str(t) for t in cal["target"].values]
    fig, axes = _axes_grid(len(targets), ncols, size=(3.0, 2.8))
    last = posterior(cal)
    predictive = cal.get("predictive_statistic")
    rng = np.random.default_rng(0)
    for ax, t in zip(axes, targets):
        observed = float(cal["observed"].sel(target=t))
        sd = float(cal["observed_sd"].sel(target=t))
        ax.axhspan(observed - 2 * sd, observed + 2 * sd, color="C2", alpha=0.15,
                   label="observed ± 2 sd")
        ax.axhline(observed, color="C2", lw=1.5)
        groups = [("particles", last["statistic"].sel(target=t).values)]
        if predictive is not None and predictive.sizes.get("predictive_run", 0):
            groups.append(("predictive", predictive.sel(target=t).values))
        for x, (name, values) in enumerate(groups):
            values = values[np.isfinite(values)]
            ax.scatter(x + rng.uniform(-0.15, 0.15, values.size), values, s=6, alpha=0.5,
                       color=f"C{x}")
            ax.hlines(np.median(values), x - 0.25, x + 0.25, color="k", lw=1.5)
        ax.set_xticks(range(len(groups)), [g[0] for g in groups], fontsize=8)
        ax.set_xlim(-0.6, len(groups) - 0.4)
        metric = str(cal["metric"].sel(target=t).values)
        kind = str(cal["statistic_kind"].sel(target=t).values)
        ax.set_title(t, fontsize=9)
        ax.set_ylabel(f"{kind} of {metric}", fontsize=8)
        ax.tick_params(labelsize=7)
    axes[0].legend(fontsize=7, frameon=False, loc="best")
    return fig


def plot_generations(cal: xr.Dataset):
    """Tolerance and acceptance rate by generation: how fast the fit tightened, at what cost."""
    import matplotlib.pyplot as plt
    fig, (a, b) = plt.subplots(1, 2, figsize=(7, 2.8), constrained_layout=True)
    g = cal["generation"].values
    a.plot(g[1:], cal["epsilon"].values[1:], "o-")
    a.set_xlabel("generation")
    a.set_ylabel("tolerance (distance, sd units)")
    b.plot(g, 100 * cal["acceptance_rate"].values, "o-", color="C1")
    b.set_xlabel("generation")
    b.set_ylabel("particles within tolerance [%]")
    return fig


def credible_interval(cal: xr.Dataset, parameter: str, level: float = 0.9,
                      generation: int = -1) -> tuple[float, float]:
    """The central `level` credible interval of one parameter."""
    g = posterior(cal, generation)
    lo, hi = weighted_quantile(g["theta"].sel(parameter=parameter).values, g["weight"].values,
                               [(1 - level) / 2, 1 - (1 - level) / 2])
    return float(lo), float(hi)


__all__ = ["open_calibration", "open_predictive", "parameter_name", "posterior", "posterior_summary", "fit_summary",
           "weighted_quantile", "credible_interval", "plot_posterior", "plot_pairs", "plot_fit",
           "plot_generations"]
