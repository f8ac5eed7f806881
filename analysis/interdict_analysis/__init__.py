"""Read, compare and plot interdict results in notebooks.

    import interdict_analysis as ia
    run = ia.open_run("results/veracruz.h5")        # one run: time series, log, network
    study = ia.open_study("results/strategies")     # a sweep: runs table, (run, time) series
    ia.compare(study, "delivered_kg", baseline="no-action")
    ia.plot_timeseries(study, "delivered_kg")
    ia.sobol_indices(study, study.runs["delivered_kg"])   # a study with a [sobol] design
    cal = ia.open_calibration("results/transit-zone-calibration")  # interdict calibrate
    ia.posterior_summary(cal)
    ia.write_view(run, "veracruz.html")             # the run in the browser, offline

Works with Debian's python3-h5py, -numpy, -pandas, -xarray, -h5netcdf and -matplotlib.
"""
from .results import (FormatError, Network, Run, Study, open_plan, open_result, open_run,
                      open_study)
from .stats import compare, compare_series, paired_runs, t_quantile, window_values
from .sensitivity import (Design, design_of, elementary_effects, morris_indices,
                          paired_difference, point_means, replicate_noise, saltelli_matrices,
                          sobol_indices)
from .plots import (parameter_label, plot_comparison, plot_network, plot_response,
                    plot_sensitivity, plot_timeseries)
from .formatting import format_interval, format_number
from .calibration import (credible_interval, fit_summary, open_calibration, open_predictive,
                          plot_fit, plot_generations, plot_pairs, plot_posterior,
                          posterior_summary, weighted_quantile)
from .view import view_html, write_view

__all__ = [
    "FormatError", "Network", "Run", "Study", "open_plan", "open_run", "open_study",
    "open_result", "compare", "compare_series", "paired_runs", "t_quantile", "window_values",
    "Design", "design_of", "elementary_effects", "morris_indices", "paired_difference",
    "point_means", "replicate_noise", "saltelli_matrices", "sobol_indices",
    "parameter_label", "format_number", "format_interval", "plot_comparison", "plot_network", "plot_response", "plot_sensitivity", "plot_timeseries",
    "open_calibration", "open_predictive", "posterior_summary", "fit_summary",
    "credible_interval", "weighted_quantile", "plot_posterior", "plot_pairs", "plot_fit",
    "plot_generations", "view_html", "write_view",
]
__version__ = "0.1.0"
