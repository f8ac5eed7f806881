#!/usr/bin/env python3
"""Writes compare_strategies.ipynb (without outputs) from the cells below: edit here, run
`/usr/bin/python3 analysis/notebooks/make_notebook.py`, commit both. ./test.sh executes the
notebook."""
import pathlib

import nbformat as nbf
nb = nbf.v4.new_notebook()
md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
cells = []
cells.append(md("""# Comparing enforcement strategies against the Veracruz network

*Which intervention cuts delivered cocaine most, for how long, and how does the network adapt?*

This notebook runs (or loads) the study `scenarios/studies/strategies.toml`: the Los Zetas
network around Veracruz in 2011-2012 (`scenarios/veracruz.toml`, sources in `docs/model.md`)
under five strategies and no action, each with recovery on (recruitment, replacement of leaders and brokers,
rebuilding of relays, purchase of vessels):

| variant | what enforcement does |
|---|---|
| `no-action` | only the standing patrols |
| `takedown-2011` | the Navy dismantles the radio network on day 250 (8 September 2011) and arrests 80 users |
| `broker-arrests` | from day 250, every 30 days, six brokers arrested in the cells with the highest betweenness on the network the Navy *knows* (from seizures, intercepted calls and social-media monitoring, actionable after its 7-day sharing delay) |
| `oracle-brokers` | the same with perfect knowledge of the network: the upper bound of targeting |
| `sea-patrols` | twice the Navy's patrol effort on both sea legs from day 250, instead of the takedown |
| `fast-sharing` | from day 250, intercepted information actionable after 1 day instead of 7-14, instead of the takedown |

Each variant has 20 replicates with **common random numbers**: replicate *r* of every
variant sees the same shipments and chance events until the strategies make them diverge, so
differences between variants are computed **paired**, replicate by replicate.

Run it from the repository with `jupyter nbconvert --to notebook --execute
analysis/notebooks/compare_strategies.ipynb` after `./run.sh` has built interdict."""))
cells.append(code('''import os, pathlib, subprocess, sys

# The repository root (this notebook lives in analysis/notebooks/).
ROOT = pathlib.Path(os.environ.get("INTERDICT_ROOT", pathlib.Path.cwd())).resolve()
while not (ROOT / "scenarios").is_dir() and ROOT != ROOT.parent:
    ROOT = ROOT.parent
sys.path.insert(0, str(ROOT / "analysis"))
import interdict_analysis as ia
import pandas as pd
pd.set_option("display.float_format", ia.format_number)  # 94,730 and 0.383, never 9.473e+04

INTERDICT = pathlib.Path(os.environ.get("INTERDICT_BIN", ROOT / "build/sim/cli/interdict"))
RESULTS = pathlib.Path(os.environ.get("INTERDICT_RESULTS", ROOT / "results")).resolve()
STUDY_DIR = RESULTS / "strategies"

# Run the study if its results are not there yet (--resume completes a partial sweep and
# recomputes nothing that is published). 120 runs take well under a second.
study = ia.open_study(STUDY_DIR) if (STUDY_DIR / "manifest.h5").exists() else None
if study is None or study.missing or len(study.runs) == 0:
    subprocess.run([str(INTERDICT), "sweep", str(ROOT / "scenarios/studies/strategies.toml"),
                    "-o", str(STUDY_DIR), "--resume"], check=True, capture_output=True)
    study = ia.open_study(STUDY_DIR)
print(f"{study.name}: {len(study.runs)} runs, variants {study.variants}")
study.runs[["variant", "replicate", "status", "delivered_kg", "seized_kg", "arrests"]].head()'''))
cells.append(md("""## How much does each strategy cut deliveries?

Kilograms delivered to the market over the two years, per variant: the mean over the 20
replicates with its 95% interval, and the paired difference to `no-action`. The grey bars
behind the paired intervals are what the same comparison would give without pairing (Welch's
interval): common random numbers make the comparison several times sharper."""))
cells.append(code('''delivered = ia.compare(study, "delivered_kg", baseline="no-action")
delivered[["n", "mean", "ci_low", "ci_high", "diff_mean", "diff_ci_low", "diff_ci_high",
           "diff_relative", "diff_ci_halfwidth_unpaired"]]'''))
cells.append(code('''ia.plot_comparison(study, "delivered_kg", baseline="no-action");'''))
cells.append(code('''best = delivered.drop(index="no-action")["diff_mean"].idxmin()
row = delivered.loc[best]
print(f"Largest cut: {best}, {row.diff_mean:,.0f} kg ({row.diff_relative:+.1%}) over two years, "
      f"95% interval {row.diff_ci_low:,.0f} to {row.diff_ci_high:,.0f} kg.")
for variant, r in delivered.drop(index="no-action").iterrows():
    gain = r.diff_ci_halfwidth_unpaired / ((r.diff_ci_high - r.diff_ci_low) / 2)
    print(f"  {variant:15s} paired interval {gain:4.1f}x narrower than unpaired")'''))
cells.append(md("""## For how long?

A strategy that cuts deliveries for a month and one that cuts them for two years differ
greatly in value. Below is the delivery rate (kg per day, 30-day trailing average) of each
strategy minus that of the paired `no-action` run, with its 95% band, one panel per strategy
on shared axes (five overlapping bands would hide each other). Above each panel, a tick for
every firing of its interventions: the broker arrests fire every 30 days from day 250, the
takedown once, with the 2012 seizures later. Before day 250 the runs share their random
numbers, so most differences are zero there. The takedown's effect is concentrated in the
weeks after day 250, while the network re-routes coordination over phones and social media
and recruits replacements, and lasts until the relays are rebuilt; patrols act for as long as
they are paid for."""))
cells.append(code('''ia.plot_timeseries(study, "delivered_kg", per_day=True, baseline="no-action");'''))
cells.append(code('''# Time to recover: first day after the takedown at which the takedown's 30-day delivery rate
# is back within the 95% band of the paired difference around zero.
import numpy as np
ts, window = study.timeseries, 30
rate = ia.plots._per_day(ts["delivered_kg"].values, ts["time"].values, window)
pairs = ia.paired_runs(study, "no-action")
keys = list(ts["run"].values)
takedown = [k for k in keys if ts["variant"].sel(run=k) == "takedown-2011"]
diff = np.array([rate[keys.index(k)] - rate[keys.index(pairs[k])] for k in takedown])
mean = diff.mean(axis=0)
half = ia.t_quantile(0.975, len(diff) - 1) * diff.std(axis=0, ddof=1) / np.sqrt(len(diff))
time = ts["time"].values
# The day of the takedown itself (the variant also logs the 2012 seizures: not their median).
fired = study.interventions.query("id == 'navy-takedown-2011'")["time"].min()
hurt = (time > fired) & (mean + half < 0)
if hurt.any():
    worst = time[hurt][np.argmin(mean[hurt])]
    recovered = time[(time > worst) & (mean + half >= 0)]
    print(f"Takedown on day {fired:g}: deliveries lowest around day {worst:g} "
          f"({mean[time == worst][0]:+.0f} kg/day against no action); "
          + (f"back within the band by day {recovered[0]:g}, {recovered[0] - fired:g} days after."
             if len(recovered) else "not recovered by the end of the run."))
else:
    print("No significant dip in deliveries after the takedown in this study.")'''))
cells.append(md("""## What did enforcement get for it?

Seizures and arrests, with the same paired comparison. A strategy can seize more without
delivering much less (the network sends more to make up for losses) or cut deliveries
mainly by disrupting coordination, with few seizures."""))
cells.append(code('''summary = pd.concat({m: ia.compare(study, m, baseline="no-action")[["mean", "diff_mean", "diff_relative"]]
                     for m in ["seized_kg", "arrests", "seizure_fraction"]}, axis=1)
summary'''))
cells.append(md("""## What did enforcement know?

Targeted arrests act on enforcement's picture of the network, which grows from seizures,
intercepted calls and social media, decays when not refreshed, and becomes actionable only
after the sharing delay. Below, the number of cells in the picture against the true number
(all 12 Veracruz cells, which stay staffed thanks to recruitment), for the broker-arrest
variant and its perfect-knowledge twin."""))
cells.append(code('''import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
for variant, style in [("broker-arrests", "-"), ("oracle-brokers", "--")]:
    s = ia.compare_series(study, "known_nodes").sel(variant=variant)
    ax.plot(s["time"], s["mean"], style, label=f"known cells, {variant}")
t = ia.compare_series(study, "true_nodes").sel(variant="broker-arrests")
ax.plot(t["time"], t["mean"], ":", color="0.3", label="true cells")
ax.set_xlabel("time [days]"); ax.set_ylabel("cells"); ax.legend(); ax.grid(alpha=0.3);
arrests = ia.compare(study, "arrests", baseline="no-action")
print(f"Broker arrests: {arrests.loc['broker-arrests', 'diff_mean']:.0f} more people arrested "
      f"than with no action; deliveries {delivered.loc['broker-arrests', 'diff_relative']:+.1%} "
      f"(95% interval {delivered.loc['broker-arrests', 'diff_ci_low']:,.0f} to "
      f"{delivered.loc['broker-arrests', 'diff_ci_high']:,.0f} kg). Each cell has three brokers "
      "and arrested ones are replaced through ties within days, so most losses are made good; "
      "what remains is slower coordination (a cell without brokers coordinates through its "
      "leaders at half speed) and loads waiting longer, exposed to raids.")'''))
cells.append(md("""## How does the network adapt and recover?

The communication network's global efficiency (how well relays connect, 1 = every relay
linked to every other) and the radio coverage of active cells, over time. After the takedown,
coordination falls back to slower, leakier channels; relays are rebuilt only as the
organisation's capital and the rebuild delay allow."""))
cells.append(code('''ia.plot_timeseries(study, "comm_network_efficiency", groups=["no-action", "takedown-2011"]);
ia.plot_timeseries(study, "handoffs_fallback", groups=["no-action", "takedown-2011"]);'''))
cells.append(code('''eff = ia.compare_series(study, "comm_network_efficiency")
takedown_eff = eff["mean"].sel(variant="takedown-2011")
before = takedown_eff.sel(time=fired - 1, method="nearest").item()
after = takedown_eff.sel(time=fired + 1, method="nearest").item()
end = takedown_eff.isel(time=-1).item()
print(f"Communication efficiency: {before:.3f} before the takedown, {after:.3f} just after, "
      f"{end:.3f} at the end (no action: {eff['mean'].sel(variant='no-action').isel(time=-1).item():.3f}).")
# The cell network (who is tied to whom), from the intervention log and the time series.
log = study.interventions.query("variant == 'takedown-2011' and id == 'navy-takedown-2011'")
cells_end = ia.compare_series(study, "true_efficiency").sel(variant="takedown-2011").isel(time=-1)
print(f"Cell network efficiency: {log.true_efficiency_before.mean():.3f} before the takedown, "
      f"{log.true_efficiency_after.mean():.3f} just after (80 arrests), "
      f"{cells_end['mean'].item():.3f} at the end: recruitment refills the cells.")'''))
cells.append(md("""One run of the takedown, drawn on the map: the network just before the Navy's
operation, 50 days after it (the Navy left 2 of the 14 relays standing; hand-offs go over
phones) and 190 days after it, when the relays have been rebuilt (`relay_rebuild_delay = 180`
in `scenarios/veracruz.toml`). Red crosses are relays, cells and vessels not operating; the map
is cropped to where the network operates, with an arrow towards the border crossing at
Nuevo Laredo far to the north."""))
cells.append(code('''run_file = RESULTS / "veracruz-notebook.h5"
subprocess.run([str(INTERDICT), "run", str(ROOT / "scenarios/veracruz.toml"), "-o", str(run_file),
                "--seed", "2011", "--quiet"], check=True)
run = ia.open_run(run_file)
day = run.interventions.set_index("id").loc["navy-takedown-2011", "time"]
ia.plot_network(run, at="navy-takedown-2011", after=[day + 50, day + 190]);'''))
cells.append(md("""## Calibrating an assumption to what was observed

The patrol intensities above are set by hand. `interdict calibrate` fits parameters to observed
statistics by ABC-SMC (`docs/calibration.md`). A small example on the transit-zone scenario: the
detection hazards of the two maritime patrols, fitted to the ~20% of known flow JIATF-South
disrupted in 2012 (a few seconds; `scenarios/calibration/transit-zone.toml` is the full version,
with all three published figures)."""))
cells.append(code('''calibration = RESULTS / "notebook-calibration.toml"
calibration.write_text(f"""
[calibration]
scenario = "{ROOT / 'scenarios/transit-zone.toml'}"
particles = 60
replicates = 1
generations = 3
seed = 1
predictive = 20

[[parameters]]
key = "patrols[0].intensity"
prior = "log-uniform"
low = 0.01
high = 1.0

[[parameters]]
key = "patrols[1].intensity"
prior = "log-uniform"
low = 0.01
high = 1.0

[[targets]]
name = "share disrupted"
metric = "seized_kg"
statistic = "share"
of = ["seized_kg", "delivered_kg"]
start = 30
observed = 0.20
sd = 0.03
""")
CAL_DIR = RESULTS / "notebook-calibration"
subprocess.run([str(INTERDICT), "calibrate", str(calibration), "-o", str(CAL_DIR)]
               + (["--resume"] if CAL_DIR.exists() else []), check=True, capture_output=True)
cal = ia.open_calibration(CAL_DIR)
ia.posterior_summary(cal)'''))
cells.append(code('''ia.plot_pairs(cal);
ia.fit_summary(cal)'''))
cells.append(md("""One figure, two hazards: the share seized pins down how much the two patrols catch
together, not how it splits between them, so the pair plot shows a ridge: a finding about the
data. Adding the vessels at sea and the shipments a month (the full calibration) narrows it."""))
cells.append(md("""## Exploring one assumption from Python

The study above is a file run by the command line. The `interdict` Python module (built by
`./run.sh`, `docs/python.md`) runs the same C++ from the notebook, with results equal to the
command line's bit for bit, returned in memory as the same `Run` and `Study` objects: change a
key, run, look again, in seconds. How hard does the Navy have to patrol the Veracruz-Tuxpan sea
leg (`patrols[0].intensity`) to matter without the takedown? The key table says what the key is
and what it may be; a value outside its range is refused at once, naming the key."""))
cells.append(code('''sys.path[:0] = [str(ROOT / "build/python"), str(ROOT / "sim/python")]  # ./run.sh does this for good
import interdict

scenario = interdict.load_scenario(ROOT / "scenarios/strategies/no-action.toml")
key = "patrols[0].intensity"
print(key, "=", scenario[key], "|", scenario.info(key)["range"], "|", scenario.info(key)["description"][:90], "...")
try:
    scenario[key] = -1
except interdict.InputError as e:
    print("refused:", e)'''))
cells.append(code('''def look(intensity, seed=2011):
    """One run at this patrol intensity: deliveries and seizures over time."""
    run = interdict.run(scenario, set={key: intensity}, seed=seed)
    print(f"{key} = {intensity}: delivered {run.summary['delivered_kg']:,.0f} kg, "
          f"seized {run.summary['seized_kg']:,.0f} kg")
    return run

fig, ax = plt.subplots(figsize=(7, 3.5))
for intensity in (0.1, 0.32, 1.0):
    look(intensity).timeseries["delivered_kg"].plot(ax=ax, label=f"intensity {intensity}")
ax.legend(); ax.set_ylabel("delivered (kg)");
# With ipywidgets (Debian python3-ipywidgets) in Jupyter, a slider runs it as you drag:
#   from ipywidgets import interact; interact(look, intensity=(0.05, 2.0, 0.05))'''))
cells.append(md("""One run per value is one draw of chance. `interdict.study` sweeps the key over 10
common-random-number replicates on every core (with a progress bar) and returns a `Study`, so
the response comes with 95% intervals."""))
cells.append(code('''explore = interdict.study(scenario, grid={key: [0.05, 0.1, 0.2, 0.32, 0.5, 1.0, 2.0]},
                          replicates=10, seed=2011, progress=False)
ia.plot_response(explore, "delivered_kg", x=key);
ia.compare(explore, "delivered_kg", by=key)[["mean", "ci_low", "ci_high", "n"]]'''))
cells.append(md("""## Reading these results

- The comparisons above are **within this model**: its parameters come from published
  sources where they exist and are labelled assumptions elsewhere (`docs/model.md`,
  `scenarios/veracruz.toml`). Treat differences as statements about mechanisms, and check
  their sensitivity with a sweep over the assumptions before quoting magnitudes.
- Sustained strategies (patrols) buy a lasting cut at a running cost; a one-off takedown
  buys a short, sharp disruption whose length is set by the network's recovery (recruitment,
  fallback channels, relay rebuilding) — the recovery curve above is the quantity to report.
- To add a strategy, add a `[[variants]]` entry to `scenarios/studies/strategies.toml`; to
  make a report without a notebook: `/usr/bin/python3 analysis/report.py results/strategies
  -o report/ --baseline no-action`."""))
nb["cells"] = cells
nb["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbf.write(nb, str(pathlib.Path(__file__).resolve().parent / "compare_strategies.ipynb"))
