"""The analysis package (analysis/interdict_analysis) on results made by the real CLI: reading
runs and studies (also unmerged, over shards), the statistics checked against hand
computations, every plot rendered, the report, the example notebook, and an in-place install."""
import dataclasses
import math
import os
import shutil
import subprocess
import sys

import h5py
import matplotlib
import numpy as np
import pytest
import xxhash

matplotlib.use("Agg")
import matplotlib.image  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from conftest import ROOT, veracruz_result  # noqa: E402

sys.path.insert(0, str(ROOT / "analysis"))
import interdict_analysis as ia  # noqa: E402

PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

STUDY = f"""
[study]
name = "analysis-test"
scenario = "{ROOT / 'scenarios' / 'veracruz.toml'}"
replicates = 4
seed = 99
random_numbers = "common"

[[variants]]
name = "no-action"
set = {{ "interventions" = [], "simulation.duration" = 400 }}

[[variants]]
name = "takedown"
set = {{ "simulation.duration" = 400 }}

[grid]
"patrols[0].intensity" = [0.1, 0.3]
"""


@pytest.fixture(scope="module")
def run_file(interdict, tmp_path_factory):
    return veracruz_result(interdict, tmp_path_factory.mktemp("run"), 5)


@pytest.fixture(scope="module")
def study_dir(interdict, tmp_path_factory):
    """A 16-run study computed as two shards into one directory, not merged."""
    base = tmp_path_factory.mktemp("study")
    study = base / "study.toml"
    study.write_text(STUDY)
    out = base / "out"
    for shard in ("0/2", "1/2"):
        proc = subprocess.run([str(interdict), "sweep", str(study), "-o", str(out), "--shard",
                               shard, "--batch-runs", "3"], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def merged_file(interdict, study_dir, tmp_path_factory):
    copy = tmp_path_factory.mktemp("merge") / "out"
    shutil.copytree(study_dir, copy)
    proc = subprocess.run([str(interdict), "merge", str(copy)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return copy / "merged.h5"


# --- reading ---------------------------------------------------------------------------------

def test_open_run_reads_series_summary_log_and_network(run_file):
    run = ia.open_run(run_file)
    ts = run.timeseries
    assert ts.sizes["time"] == 731 and ts["time"].values[-1] == 730
    assert float(ts["delivered_kg"][-1]) == run.summary["delivered_kg"]
    np.testing.assert_array_equal(ts["produced_kg"], ts["delivered_kg"] + ts["seized_kg"]
                                  + ts["in_transit_kg"])
    assert list(run.interventions["id"]) == ["navy-takedown-2011", "municipal-police-purged-2011",
                                             "navy-perote-2012", "army-panuco-2012"]
    assert list(run.interventions["time"]) == [250, 250, 592, 623]
    assert run.attrs["seed"] == 5 and run.name == "veracruz"

    net = run.network
    counts = net.nodes["kind"].value_counts().to_dict()
    assert counts == {"place": 14, "relay": 14, "cell": 12, "vessel": 8}
    assert set(net.ties["kind"]) == {"land", "sea", "social", "radio"}
    relays = (net.nodes["kind"] == "relay").to_numpy()
    assert net.active_at(250, before=True)[relays].sum() == 14
    assert net.active_at(250)[relays].sum() == 2  # the takedown spared two towers
    assert (np.diff(net.changes["time"]) >= 0).all()
    # The relays_up series agrees with the change log at every sample.
    for t in (0, 249, 250, 400, 730):
        expected = ts["relays_up"].sel(time=t).item()
        assert net.active_at(t)[relays].sum() == expected


def test_open_run_reads_seizures_and_flows_and_older_files_without_them(run_file, tmp_path):
    net = ia.open_run(run_file).network
    assert list(net.seizures.columns) == ["time", "tie", "node", "kg", "kind", "by"]
    assert list(net.flows.columns) == ["time", "tie", "kg", "loads"]
    for table, columns in ((net.seizures, ("tie", "node")), (net.flows, ("tie",))):
        for column in columns:
            assert table[column].dtype.kind == "i"
    assert net.seizures["kg"].sum() == ia.open_run(run_file).summary["seized_kg"]
    assert set(net.seizures["kind"]) >= {"stash", "go-fast", "land"}
    routes = net.ties.index[net.ties["kind"].isin(["land", "sea", "air"])]
    assert net.flows["tie"].isin(routes).all() and len(net.flows) > 0
    # A file written before the two tables: empty ones, with the same columns.
    older = tmp_path / "older.h5"
    shutil.copy(run_file, older)
    with h5py.File(older, "r+") as f:
        del f["network/seizures"], f["network/flows"]
    old = ia.open_run(older).network
    assert len(old.seizures) == 0 and len(old.flows) == 0
    assert list(old.seizures.columns) == list(net.seizures.columns)
    assert list(old.flows.columns) == list(net.flows.columns)
    assert old.seizures["tie"].dtype.kind == "i" and old.flows["tie"].dtype.kind == "i"


def test_study_over_unmerged_shards_equals_the_merge(study_dir, merged_file):
    assert len(list(study_dir.glob("runs-*.h5"))) >= 4  # two shards, batches of 3
    study = ia.open_study(study_dir)
    merged = ia.open_study(merged_file)
    assert len(study.runs) == 16 and study.missing == []
    assert study.parameters == ["patrols[0].intensity"]
    assert list(study.runs.index) == list(merged.runs.index)  # plan order
    for column in ("delivered_kg", "seized_kg", "replicate", "patrols[0].intensity"):
        np.testing.assert_array_equal(study.runs[column], merged.runs[column])
    ts, mts = study.timeseries, merged.timeseries
    assert ts["delivered_kg"].dims == ("run", "time") and ts.sizes["time"] == 401
    np.testing.assert_array_equal(ts["delivered_kg"].values, mts["delivered_kg"].values)
    assert set(ts["variant"].values) == {"no-action", "takedown"}
    # Every takedown run logged its two interventions of day 250 (the takedown and the purge of
    # the police; the 2012 seizures come after these 400 days), and no no-action run did.
    log = study.interventions
    assert len(log) == 16 and set(log["variant"]) == {"takedown"}
    assert set(log["id"]) == {"navy-takedown-2011", "municipal-police-purged-2011"}
    assert sorted(log["run_key"]) == sorted(merged.interventions["run_key"])
    assert (log["time"] == 250).all()


def test_to_dataframe_gives_long_format_by_run_and_by_run_and_time(study_dir, merged_file):
    study = ia.open_study(study_dir)
    runs = study.to_dataframe()
    assert len(runs) == 16 and runs["run_key"].is_unique
    assert list(runs.columns[:4]) == ["run_key", "variant", "replicate", "patrols[0].intensity"]
    assert {"seed", "status", "delivered_kg", "seized_kg"} <= set(runs.columns)
    assert runs["replicate"].dtype == np.int64 and set(runs["replicate"]) == {0, 1, 2, 3}
    np.testing.assert_array_equal(runs["delivered_kg"], study.runs["delivered_kg"])
    long = study.to_dataframe(series=["delivered_kg", "seized_kg"])
    assert list(long.columns) == ["run_key", "variant", "replicate", "patrols[0].intensity", "time",
                                  "delivered_kg", "seized_kg"]
    assert len(long) == 16 * 401  # every run lasts 400 days
    row = long[(long["run_key"] == runs["run_key"][5]) & (long["time"] == 300)].iloc[0]
    assert row["variant"] == runs["variant"][5] and row["replicate"] == runs["replicate"][5]
    assert row["delivered_kg"] == study.timeseries["delivered_kg"].sel(run=runs["run_key"][5],
                                                                       time=300).item()
    # The end of each run equals its summary; the same from the merged file.
    last = long[long["time"] == 400].set_index("run_key")["delivered_kg"]
    np.testing.assert_array_equal(last[runs["run_key"]], runs["delivered_kg"])
    merged = ia.open_study(merged_file).to_dataframe(series="delivered_kg")
    assert merged.equals(long.drop(columns="seized_kg"))
    assert len(study.to_dataframe(series=True).columns) == 5 + len(study.timeseries.data_vars)
    with pytest.raises(KeyError, match="no time series 'nothing'"):
        study.to_dataframe(series=["nothing"])


def test_compare_over_a_window_is_the_paired_effect_from_that_day_on(study_dir):
    # "What did the takedown change from day 250 on?": delivered kg gained over [250, 400] by
    # each run, paired with the no-action run of the same replicate and intensity, worked here
    # by hand from the series.
    study = ia.open_study(study_dir)
    table = ia.compare(study, "delivered_kg", baseline="no-action", window=(250, 400))
    series = study.timeseries["delivered_kg"]
    gained = (series.sel(time=400) - series.sel(time=250)).to_series()
    runs = study.runs.assign(gained=gained.reindex(study.runs.index))
    pair = ["replicate", "patrols[0].intensity"]
    base = runs[runs["variant"] == "no-action"].set_index(pair)["gained"]
    take = runs[runs["variant"] == "takedown"].set_index(pair)["gained"]
    differences = (take - base.reindex(take.index)).to_numpy()
    assert table.loc["takedown", "mean"] == pytest.approx(take.mean())
    assert table.loc["takedown", "diff_mean"] == pytest.approx(differences.mean())
    assert table.loc["takedown", "diff_n"] == len(differences)
    # A level series (not cumulative) is averaged over the window instead.
    cells = ia.window_values(study, "active_cells", (250, 400))
    expected = study.timeseries["active_cells"].sel(time=slice(250, 400)).mean("time")
    np.testing.assert_allclose(cells.to_numpy(), expected.to_numpy())
    with pytest.raises(ValueError):
        ia.compare(study, "delivered_kg", window=(400, 250))


def test_a_partial_study_names_its_missing_runs(interdict, study_dir, tmp_path):
    partial = tmp_path / "partial"
    partial.mkdir()
    shutil.copy(study_dir / "manifest.h5", partial)
    batches = sorted(study_dir.glob("runs-*.h5"))
    shutil.copy(batches[0], partial)
    study = ia.open_study(partial)
    assert 0 < len(study.runs) < 16
    assert len(study.runs) + len(study.missing) == 16
    assert not set(study.missing) & set(study.runs.index)


def test_errors_name_the_file_and_the_problem(run_file, study_dir, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(ia.FormatError, match="notes.txt: not an HDF5 file"):
        ia.open_run(text)
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f.attrs["format"] = "something-else"
    with pytest.raises(ia.FormatError, match="foreign.h5: not an interdict result"):
        ia.open_run(foreign)
    newer = tmp_path / "newer.h5"
    shutil.copy(run_file, newer)
    with h5py.File(newer, "a") as f:
        f.attrs["format_version"] = np.int32(99)
    with pytest.raises(ia.FormatError, match="newer.h5: written in interdict-result format "
                                             "version 99 by a newer interdict"):
        ia.open_run(newer)
    with pytest.raises(ia.FormatError, match="use open_study"):
        ia.open_run(study_dir / "manifest.h5")
    with pytest.raises(ia.FormatError, match="not a study directory"):
        ia.open_study(tmp_path)
    with pytest.raises(FileNotFoundError):
        ia.open_study(tmp_path / "nowhere")
    study = ia.open_study(study_dir)
    with pytest.raises(KeyError, match="no metric 'delivered'"):
        ia.compare(study, "delivered")
    with pytest.raises(KeyError, match="baseline 'none' is not a value of 'variant'"):
        ia.compare(study, "delivered_kg", baseline="none")


# --- statistics ------------------------------------------------------------------------------

def test_t_quantiles_match_published_tables():
    # Student's t table (two-sided 95% and 90%, one-sided 99%).
    for p, df, value in [(0.975, 1, 12.7062), (0.975, 4, 2.7764), (0.975, 7, 2.3646),
                         (0.975, 30, 2.0423), (0.95, 10, 1.8125), (0.99, 20, 2.5280)]:
        assert ia.t_quantile(p, df) == pytest.approx(value, abs=1e-4)
    assert ia.t_quantile(0.025, 7) == pytest.approx(-2.3646, abs=1e-4)


def test_compare_matches_a_hand_computation(study_dir):
    study = ia.open_study(study_dir)
    table = ia.compare(study, "delivered_kg", baseline="no-action")
    runs = study.runs
    for variant in ("no-action", "takedown"):
        x = runs.loc[runs["variant"] == variant, "delivered_kg"].to_numpy()
        n, mean, sd = len(x), x.mean(), x.std(ddof=1)
        half = 2.364624 * sd / math.sqrt(n)  # t(0.975, 7)
        row = table.loc[variant]
        assert row["n"] == n == 8
        assert row["mean"] == pytest.approx(mean)
        assert row["ci_low"] == pytest.approx(mean - half, rel=1e-6)
        assert row["ci_high"] == pytest.approx(mean + half, rel=1e-6)
    # Paired: the takedown run against the no-action run of the same replicate and intensity.
    base = runs[runs["variant"] == "no-action"].set_index(["replicate", "patrols[0].intensity"])
    treat = runs[runs["variant"] == "takedown"].set_index(["replicate", "patrols[0].intensity"])
    d = (treat["delivered_kg"] - base["delivered_kg"].reindex(treat.index)).to_numpy()
    half = 2.364624 * d.std(ddof=1) / math.sqrt(len(d))
    row = table.loc["takedown"]
    assert row["diff_n"] == 8
    assert row["diff_mean"] == pytest.approx(d.mean())
    assert row["diff_ci_low"] == pytest.approx(d.mean() - half, rel=1e-6)
    assert row["diff_relative"] == pytest.approx(d.mean() / base["delivered_kg"].mean())
    # Common random numbers: the paired interval is tighter than the unpaired one.
    assert (row["diff_ci_high"] - row["diff_ci_low"]) / 2 < row["diff_ci_halfwidth_unpaired"]
    # Two grouping columns, paired within the same intensity.
    by_two = ia.compare(study, "delivered_kg", by=["variant", "patrols[0].intensity"],
                        baseline="no-action")
    assert by_two.loc[("takedown", 0.3), "diff_n"] == 4


def test_compare_series_agrees_with_the_summary_at_the_end(study_dir):
    study = ia.open_study(study_dir)
    series = ia.compare_series(study, "delivered_kg")
    table = ia.compare(study, "delivered_kg")
    for variant in ("no-action", "takedown"):
        end = series.sel(variant=variant).isel(time=-1)
        assert end["mean"].item() == pytest.approx(table.loc[variant, "mean"])
        assert end["ci_low"].item() == pytest.approx(table.loc[variant, "ci_low"])
    paired = ia.compare_series(study, "delivered_kg", baseline="no-action")
    assert np.all(paired["mean"].sel(variant="no-action").values == 0)
    diff = ia.compare(study, "delivered_kg", baseline="no-action").loc["takedown"]
    assert paired["mean"].sel(variant="takedown").isel(time=-1).item() == \
        pytest.approx(diff["diff_mean"])
    # Before the takedown (day 250), common random numbers make the runs identical.
    assert np.all(paired["mean"].sel(variant="takedown", time=slice(0, 249)).values == 0)


# --- plots and report ------------------------------------------------------------------------

def check_png(path, width, height):
    image = matplotlib.image.imread(path)
    assert image.shape[:2] == (height, width)
    assert image[..., :3].std() > 0.05  # not blank


@pytest.mark.parametrize("name", ["timeseries", "timeseries_run", "paired", "comparison",
                                  "response", "heatmap", "network"])
def test_plots_render(name, run_file, study_dir, tmp_path):
    study = ia.open_study(study_dir)
    run = ia.open_run(run_file)
    make = {
        "timeseries": lambda: ia.plot_timeseries(study, "delivered_kg", per_day=True),
        "timeseries_run": lambda: ia.plot_timeseries(run, "relays_up"),
        "paired": lambda: ia.plot_timeseries(study, "delivered_kg", baseline="no-action"),
        "comparison": lambda: ia.plot_comparison(study, "seized_kg", baseline="no-action"),
        "response": lambda: ia.plot_response(study, "seized_kg", "patrols[0].intensity",
                                             by="variant"),
        "heatmap": lambda: ia.plot_response(study, "seized_kg", "patrols[0].intensity",
                                            "replicate"),
        "network": lambda: ia.plot_network(run, at="navy-takedown-2011", after=430),
    }
    fig = make[name]()
    assert isinstance(fig, matplotlib.figure.Figure)
    width, height = (fig.get_size_inches() * 50).round().astype(int)
    path = tmp_path / f"{name}.png"
    fig.savefig(path, dpi=50)
    plt.close(fig)
    check_png(path, width, height)


def test_report_for_a_run_and_a_study(run_file, study_dir, tmp_path):
    for source in (run_file, study_dir):
        out = tmp_path / source.name
        proc = subprocess.run([PYTHON, str(ROOT / "analysis/report.py"), str(source), "-o",
                               str(out)], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        report = (out / "report.md").read_text()
        images = [line.split("](")[1].rstrip(")") for line in report.splitlines()
                  if line.startswith("![")]
        assert len(images) >= 4
        for image in images:
            assert (out / image).stat().st_size > 10_000
    assert "navy-takedown-2011" in (tmp_path / run_file.name / "report.md").read_text()
    assert "difference to no-action" in (tmp_path / study_dir.name / "report.md").read_text()
    proc = subprocess.run([PYTHON, str(ROOT / "analysis/report.py"), str(tmp_path / "missing.h5")],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "missing.h5: no such file" in proc.stderr


def test_example_notebook_runs_from_top_to_bottom(interdict, tmp_path):
    env = dict(os.environ, INTERDICT_ROOT=str(ROOT), INTERDICT_BIN=str(interdict),
               INTERDICT_RESULTS=str(tmp_path / "results"))
    env.pop("MPLBACKEND", None)  # the kernel's inline backend puts figures into the notebook
    proc = subprocess.run([PYTHON, "-m", "nbconvert", "--to", "notebook", "--execute",
                           "--ExecutePreprocessor.timeout=300", "--output-dir", str(tmp_path),
                           str(ROOT / "analysis/notebooks/compare_strategies.ipynb")],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    import nbformat
    nb = nbformat.read(tmp_path / "compare_strategies.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 5
    text = "".join(o.get("text", "") for o in outputs)
    assert "strategies: 120 runs" in text and "Largest cut:" in text and "Broker arrests:" in text


def test_installs_in_place_with_pip(venv, tmp_path):
    proc = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-deps",
                           "--no-build-isolation", "--no-index", "-e", str(ROOT / "analysis")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import interdict_analysis as ia; print(ia.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert where.stdout.strip() == str(ROOT / "analysis/interdict_analysis/__init__.py")
    assert (venv / "bin" / "interdict-report").exists()


def test_a_study_opens_with_only_the_series_asked_for(study_dir, merged_file):
    whole = ia.open_study(study_dir)
    for source in (study_dir, merged_file):  # packed batches, and the notebook layout
        some = ia.open_study(source, series=["delivered_kg", "seized_kg"])
        assert sorted(some.timeseries.data_vars) == ["delivered_kg", "seized_kg"]
        np.testing.assert_array_equal(some.timeseries["delivered_kg"].values,
                                      whole.timeseries["delivered_kg"].values)
        assert list(some.runs.index) == list(whole.runs.index)
    assert sorted(ia.open_study(study_dir, series="arrests").timeseries.data_vars) == ["arrests"]
    with pytest.raises(KeyError, match=r"no time series 'delivered' in this study; it records .*delivered_kg"):
        ia.open_study(study_dir, series=["delivered"])


def test_a_damaged_batch_is_a_format_error(study_dir, tmp_path):
    damaged = tmp_path / "damaged"
    shutil.copytree(study_dir, damaged)
    batch = sorted(damaged.glob("runs-*.h5"))[0]
    with h5py.File(batch, "r+") as f:
        del f["runs/status"]
        f["runs"].create_dataset("status", data=["ok"], dtype=h5py.string_dtype())
    # Changed bytes no longer match the digest in the batch's name: refused before h5py opens it.
    with pytest.raises(ia.FormatError, match=r"runs-.*\.h5: damaged"):
        ia.open_study(damaged)
    # Named by its new digest (as a faulty writer would), its contents are still checked.
    key = batch.name.split("-")[1]
    batch.rename(batch.with_name(f"runs-{key}-{xxhash.xxh3_64(batch.read_bytes()).hexdigest()}.h5"))
    with pytest.raises(ia.FormatError, match=r"runs-.*\.h5: /runs is damaged"):
        ia.open_study(damaged)


# --- figures that do not mislead -------------------------------------------------------------

REPEATED = f"""
[study]
name = "repeated-test"
replicates = 2
seed = 7
random_numbers = "common"

[[variants]]
name = "no-action"
scenario = "{ROOT / 'scenarios/strategies/no-action.toml'}"
set = {{ "simulation.duration" = 400 }}

[[variants]]
name = "broker-arrests"
scenario = "{ROOT / 'scenarios/strategies/broker-arrests.toml'}"
set = {{ "simulation.duration" = 400 }}
"""


@pytest.fixture(scope="module")
def repeated_dir(interdict, tmp_path_factory):
    """A study whose broker arrests fire every 30 days from day 250."""
    base = tmp_path_factory.mktemp("repeated")
    (base / "study.toml").write_text(REPEATED)
    proc = subprocess.run([str(interdict), "sweep", str(base / "study.toml"), "-o",
                           str(base / "out")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return base / "out"


def _boxes(fig, artists):
    renderer = fig.canvas.get_renderer()
    return [a.get_window_extent(renderer) for a in artists if a.get_visible() and a.get_text()]


def _overlapping(boxes):
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]


@pytest.mark.parametrize("layout", ["overlay", "grid"])
def test_every_firing_of_a_repeated_intervention_is_marked(repeated_dir, layout):
    study = ia.open_study(repeated_dir)
    firings = np.unique(study.interventions.query("id == 'arrest-brokers'")["time"])
    assert len(firings) >= 5  # days 250, 280, ... 400
    fig = ia.plot_timeseries(study, "delivered_kg", per_day=True, layout=layout)
    ticks = [c for a in fig.axes for c in a.collections if c.get_gid() == "intervention:arrest-brokers"]
    assert sum(len(c.get_segments()) for c in ticks) == len(firings)
    lines = [l for a in fig.axes for l in a.get_lines() if l.get_gid() == "firing:arrest-brokers"]
    assert sorted(l.get_xdata()[0] for l in lines) == list(firings)
    labels = [t.get_text() for a in fig.axes for t in a.texts if t.get_gid() == "intervention-label"]
    assert labels == [f"arrest-brokers ({len(firings)}x, days 250-{firings[-1]:g})"]
    plt.close(fig)


def test_labels_of_simultaneous_interventions_do_not_overlap(study_dir, run_file):
    study = ia.open_study(study_dir)
    run = ia.open_run(run_file)
    for fig in (ia.plot_timeseries(study, "delivered_kg", per_day=True),
                ia.plot_timeseries(run, "relays_up"),
                ia.plot_timeseries(study, "delivered_kg", baseline="no-action", layout="grid")):
        fig.canvas.draw()
        labels = [t for a in fig.axes for t in a.texts if t.get_gid() == "intervention-label"]
        texts = [t.get_text() for t in labels]
        # Both interventions of day 250 are labelled, each on its own row.
        assert any(t.startswith("navy-takedown-2011 (day 250)") for t in texts)
        assert any(t.startswith("municipal-police-purged-2011 (day 250)") for t in texts)
        assert _overlapping(_boxes(fig, labels)) == []
        plt.close(fig)


def test_many_groups_default_to_small_multiples(repeated_dir, study_dir):
    study = ia.open_study(study_dir)
    two = ia.plot_timeseries(study, "delivered_kg")
    assert len([a for a in two.axes if a.get_lines()]) == 1  # two variants: one overlay
    runs = study.runs.assign(variant=[f"{v}-{p}" for v, p in
                                      zip(study.runs["variant"], study.runs["patrols[0].intensity"])])
    four = dataclasses.replace(study, runs=runs, timeseries=study.timeseries.assign_coords(
        variant=("run", runs["variant"].reindex(study.timeseries["run"].values).to_numpy())))
    grid = ia.plot_timeseries(four, "delivered_kg")
    panels = [a for a in grid.axes if any(len(line.get_xdata()) > 2 for line in a.get_lines())]
    assert len(panels) == 4  # one panel per variant
    assert len({a.get_position().bounds for a in panels}) == 4
    plt.close(two)
    plt.close(grid)


def test_comparison_ticks_are_readable_and_do_not_overlap(study_dir):
    study = ia.open_study(study_dir)
    for metric in ("delivered_kg", "revenue_usd", "arrests"):
        fig = ia.plot_comparison(study, metric, baseline="no-action")
        fig.set_size_inches(7, 3)  # narrower than the default: still no collisions
        fig.canvas.draw()
        for a in fig.axes:
            ticks = [t for t in a.get_xticklabels() if a.get_xlim()[0] <= t.get_position()[0]
                     <= a.get_xlim()[1]]
            assert _overlapping(_boxes(fig, ticks)) == []
            assert all("e+" not in t.get_text() and "e-" not in t.get_text() for t in ticks)
            assert a.xaxis.get_offset_text().get_text() == ""
        assert fig.axes[0].get_xlabel() == ("arrests" if metric == "arrests" else
                                            f"{metric} [{study.units[metric]}]")
        plt.close(fig)


def test_numbers_are_formatted_for_readers():
    assert ia.format_number(94730.4) == "94,730"
    assert ia.format_number(94730.4, 3) == "94,700"
    assert ia.format_number(-14203.5, 3) == "-14,200"
    assert ia.format_number(5.789) == "5.79"
    assert ia.format_number(0.000123456) == "0.000123"
    assert ia.format_number(1.9e9) == "1,900,000,000"
    assert ia.format_number(float("nan")) == "–"
    assert ia.format_interval(-21287.2, -14041.1) == "-21,300 to -14,000"


def test_response_names_entries_by_id_and_pairs_its_bands(study_dir):
    study = ia.open_study(study_dir)
    assert ia.parameter_label(study, "patrols[0].intensity") == "patrols[navy-veracruz].intensity"
    assert ia.parameter_label(study, "simulation.duration") == "simulation.duration"
    fig = ia.plot_response(study, "delivered_kg", "patrols[0].intensity", by="variant",
                           baseline="no-action")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "patrols[navy-veracruz].intensity"
    unpaired, paired = [c for c in ax.collections if len(c.get_paths())][:2]
    height = lambda c: np.ptp(c.get_paths()[0].vertices[:, 1])  # noqa: E731
    assert height(paired) < height(unpaired)  # common random numbers: the narrower band
    plt.close(fig)


def test_report_uses_the_baseline_and_prints_plain_numbers(study_dir, tmp_path):
    from interdict_analysis.report import write_report
    written = write_report(study_dir, tmp_path, baseline="takedown")
    report = (tmp_path / "report.md").read_text()
    assert "difference to takedown" in report and "(baseline)" in report
    paired = [p for p in written if "per_day_minus_takedown" in p.name]
    assert len(paired) == 2 and all(p.stat().st_size > 10_000 for p in paired)
    assert "paired difference to takedown" in report
    assert "e+" not in report and "e-0" not in report
    # Intervals with three significant digits, thousands separated.
    import re
    intervals = re.findall(r"\| (-?[\d,.]+) to (-?[\d,.]+) \|", report)
    assert intervals
    for low, high in intervals:
        for number in (low, high):
            assert len(number.replace(",", "").replace("-", "").replace(".", "").lstrip("0")
                       .rstrip("0")) <= 3


def test_network_map_crops_to_the_network_and_shows_the_damage(run_file):
    run = ia.open_run(run_file)
    fig = ia.plot_network(run, at="navy-takedown-2011", after=[300, 440])
    maps = [a for a in fig.axes if a.collections]
    assert len(maps) == 3
    counts = [[t.get_text() for t in a.texts if "operating" in t.get_text()][0] for a in maps]
    assert counts[0].startswith("relays 14/14") and counts[1].startswith("relays 2/14")
    assert counts[2].startswith("relays 14/14")  # rebuilt after 180 days
    top = maps[0].get_ylim()[1]
    assert top < 24  # nuevo-laredo (27.5 N) is off the map, pointed to
    assert any(t.get_gid() == "off-map" and "nuevo-laredo" in t.get_text() for t in maps[0].texts)
    plt.close(fig)
