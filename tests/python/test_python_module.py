"""The Python module (`import interdict`, sim/python): runs and studies equal the CLI's bit for bit,
keys are read and checked as the CLI does, the GIL is released and Ctrl-C stops cleanly."""
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time

import h5py
import numpy as np
import pandas as pd
import pytest

from conftest import ROOT, python_path

PYTHON = "/usr/bin/python3"

interdict = pytest.importorskip("interdict", reason="the _interdict extension is not built")
import interdict_analysis as ia  # noqa: E402

def _hdf5_bytes(tmp_path) -> bytes:
    """An HDF5 file that is not an interdict result."""
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "something-else"
    return path.read_bytes()


# Every scenario the project ships (studies and calibrations are not scenarios).
SCENARIOS = sorted(p for p in (ROOT / "scenarios").rglob("*.toml")
                   if p.parent.name not in ("studies", "calibration"))
# Attributes that say when and where a file was written, not what the run did.
CIRCUMSTANTIAL = {"created"}


def assert_same_file(a, b):
    """Two result files (paths or h5py files) hold the same groups, datasets (values, types and
    shapes, NaN where NaN) and attributes, except their creation time."""
    def walk(f):
        items = {}
        f.visititems(lambda name, obj: items.__setitem__(name, obj))
        return items

    def attrs(obj):
        return {k: v for k, v in obj.attrs.items() if k not in CIRCUMSTANTIAL}

    def same_value(x, y):
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            x, y = np.asarray(x), np.asarray(y)
            if x.dtype.kind == "O" or y.dtype.kind == "O":
                return x.shape == y.shape and list(x.ravel()) == list(y.ravel())
            return x.dtype == y.dtype and np.array_equal(x, y, equal_nan=x.dtype.kind == "f")
        if isinstance(x, float) and isinstance(y, float) and np.isnan(x) and np.isnan(y):
            return True
        return x == y

    fa = a if isinstance(a, h5py.File) else h5py.File(a, "r")
    fb = b if isinstance(b, h5py.File) else h5py.File(b, "r")
    with fa, fb:
        ia_, ib_ = walk(fa), walk(fb)
        assert list(ia_) == list(ib_)
        for scope, (x, y) in {"/": (fa, fb), **{n: (ia_[n], ib_[n]) for n in ia_}}.items():
            ax, ay = attrs(x), attrs(y)
            assert ax.keys() == ay.keys(), scope
            for k in ax:
                if k in ("DIMENSION_LIST", "REFERENCE_LIST"):
                    continue  # object references: compared through the datasets they name
                assert same_value(ax[k], ay[k]), f"{scope} attribute {k}: {ax[k]!r} != {ay[k]!r}"
            if isinstance(x, h5py.Dataset):
                assert x.dtype == y.dtype and x.shape == y.shape, scope
                assert same_value(x[()], y[()]), f"{scope} differs"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_run_from_python_equals_the_cli_run_bit_for_bit(scenario, run_cli, tmp_path):
    relative = str(scenario.relative_to(ROOT))
    cli_file = tmp_path / "cli.h5"
    proc = run_cli("run", relative, "-o", cli_file, "-q", cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    here = os.getcwd()
    os.chdir(ROOT)  # the scenario path is stored as given: give both the same
    try:
        written = tmp_path / "python.h5"
        run = interdict.run(relative, output=written)
    finally:
        os.chdir(here)
    assert run.path == written
    assert_same_file(cli_file, written)
    assert run.attrs["created"] == h5py.File(written, "r").attrs["created"]  # one and the same
    # The xarray objects hold what the file holds.
    from_file = ia.open_run(cli_file)
    assert run.timeseries.identical(from_file.timeseries.assign_attrs(run.timeseries.attrs))
    pd.testing.assert_series_equal(run.summary, from_file.summary)
    pd.testing.assert_frame_equal(run.interventions, from_file.interventions)
    if from_file.network is not None:
        pd.testing.assert_frame_equal(run.network.nodes, from_file.network.nodes)
        pd.testing.assert_frame_equal(run.network.changes, from_file.network.changes)


def test_keys_seed_and_replicate_are_the_clis(run_cli, tmp_path):
    scenario = ROOT / "scenarios/veracruz.toml"
    cli_file = tmp_path / "cli.h5"
    proc = run_cli("run", scenario, "-o", cli_file, "-q", "--seed", "5", "--replicate", "2",
                   "--set", "simulation.duration=200", "--set", 'output.series=["delivered_kg"]')
    assert proc.returncode == 0, proc.stderr
    run = interdict.run(str(scenario), set={"simulation.duration": 200,
                                            "output.series": ["delivered_kg"]},
                        seed=5, replicate=2)
    assert run.path is None  # nothing written
    assert list(tmp_path.iterdir()) == [cli_file]
    with h5py.File(cli_file, "r") as f:
        assert run.attrs["scenario_overrides"] == f.attrs["scenario_overrides"]
        assert np.array_equal(run.timeseries["delivered_kg"].values,
                              f["timeseries/delivered_kg"][()])
        assert run.summary["delivered_kg"] == f["summary/delivered_kg"][()]
    assert list(run.timeseries.data_vars) == ["delivered_kg"]
    # A Scenario with the same keys changed gives the same run.
    s = interdict.load_scenario(scenario)
    s["simulation.duration"] = 200
    s["output.series"] = ["delivered_kg"]
    again = s.run(seed=5, replicate=2)
    # The same run, written a second later perhaps: equal but for the creation time.
    assert again.timeseries.assign_attrs(created=None).identical(
        run.timeseries.assign_attrs(created=None))


def test_a_scenario_reads_and_checks_keys_as_the_cli_does(tmp_path):
    s = interdict.load_scenario(ROOT / "scenarios/veracruz.toml")
    assert s["simulation.duration"] == s.document["simulation"]["duration"] == 730
    assert s["routes[0].from"] == s.document["routes"][0]["from"]
    assert s["output.sample_interval"] == 1  # not in the file: the key table's default
    assert "routes[0].from" in s.keys() and "simulation.duration" in s.keys()
    info = s.info("routes[3].exposure")
    assert info["key"] == "routes[].exposure" and info["type"] == "number"
    s["patrols[0].intensity"] = 0.4
    assert s["patrols[0].intensity"] == 0.4 and s.overrides == {"patrols[0].intensity": "0.4"}
    with pytest.raises(interdict.InputError) as bad:
        s["simulation.duration"] = -3
    assert bad.value.key == "simulation.duration" and "-3" in str(bad.value)
    assert s["simulation.duration"] == 730  # a refused value changes nothing
    with pytest.raises(interdict.InputError) as unknown:
        s["simulation.durations"] = 3
    assert unknown.value.key == "simulation.durations"
    assert 'unknown key (did you mean "duration"?)' in str(unknown.value)
    with pytest.raises(interdict.InputError) as choice:
        s["output.network_measures"] = "some"
    assert choice.value.key == "output.network_measures"
    del s["patrols[0].intensity"]
    assert s.overrides == {} and s["patrols[0].intensity"] != 0.4
    # Entries by number or by id, as --set names them; none past the end.
    first = s.document["patrols"][0]
    assert s[f"patrols[{first['id']}].intensity"] == s["patrols[0].intensity"]
    with pytest.raises(KeyError, match="no such entry"):
        s["patrols[99].intensity"]
    assert "patrols[99].intensity" not in s and "patrols[0].intensity" in s
    for bad in ("simulation.duration=30 #", "simulation duration", 'a."b"', ""):
        with pytest.raises(KeyError, match="not a key path"):
            s[bad] = 1
    # What is read is a copy: changing it changes nothing.
    s["routes"].clear()
    assert len(s["routes"]) == len(s.document["routes"]) > 0
    # A key set over one set earlier inside it replaces it, so that order never matters later.
    s["simulation.duration"] = 30
    s["simulation"] = {"duration": 50}
    assert s.overrides == {"simulation": "{ \"duration\" = 50 }"} and s["simulation.duration"] == 50
    s["simulation.duration"] = 40
    assert list(s.overrides) == ["simulation", "simulation.duration"]
    assert s["simulation.duration"] == 40
    del s["simulation.duration"], s["simulation"]
    assert s.validate()["routes"] == len(s.document["routes"])
    # A mistake in a file: its line and column, as `interdict validate` gives them.
    broken = tmp_path / "broken.toml"
    broken.write_text((ROOT / "scenarios/minimal.toml").read_text()
                      .replace("duration = ", "duration = -", 1))
    with pytest.raises(interdict.InputError) as in_file:
        interdict.load_scenario(broken)
    e = in_file.value
    assert e.file == str(broken) and e.line > 0 and e.column > 0 and e.key == "simulation.duration"
    assert str(e).startswith(f"{broken}:{e.line}:{e.column}: simulation.duration: ")
    with pytest.raises(interdict.InputError) as missing:
        interdict.run(tmp_path / "missing.toml")
    assert "missing.toml" in str(missing.value)
    assert isinstance(missing.value, ValueError)


def test_the_key_table_is_the_clis(run_cli):
    table = interdict.keys()
    assert table.loc["simulation.duration", "unit"] == "days"
    assert table.loc["output.network_measures", "choices"] == "all|basic|none"
    cli = run_cli("keys").stdout
    assert all(key in cli for key in table.index)
    assert "study.replicates" in interdict.keys("study").index


def test_values_become_toml():
    v = interdict.toml_value
    assert v(True) == "true" and v(3) == "3" and v(0.1) == "0.1" and v(float("inf")) == "inf"
    assert v('say "hi"\n') == '"say \\"hi\\"\\u000a"'
    assert v([1, 2.5]) == "[1, 2.5]" and v({"a": [1]}) == '{ "a" = [1] }'
    assert v(np.float64(0.25)) == "0.25" and v(np.array([1, 2])) == "[1, 2]"
    with pytest.raises(ValueError):
        v(2**64)
    with pytest.raises(TypeError):
        v(object())


def test_a_study_from_python_equals_the_cli_sweep(run_cli, tmp_path):
    study_file = ROOT / "scenarios/studies/strategies.toml"
    cli_dir = tmp_path / "cli"
    proc = run_cli("sweep", study_file, "-o", cli_dir, "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    calls = []

    class Bar:  # what tqdm is fed
        def __call__(self, *args):
            calls.append(args)

    python_dir = tmp_path / "python"
    from_python = interdict.sweep(study_file, python_dir, workers=2, progress=False)
    from_cli = ia.open_study(cli_dir)
    pd.testing.assert_frame_equal(from_python.runs, from_cli.runs)
    assert from_python.timeseries.identical(from_cli.timeseries)
    assert len(from_python.runs) == 120 and (from_python.runs["status"] == "ok").all()
    # Without a directory: the same results, read before the scratch directory goes.
    scratch = interdict.sweep(study_file, workers=1, progress=False)
    pd.testing.assert_frame_equal(scratch.runs, from_cli.runs)
    assert scratch.paths == []


def test_a_study_written_in_python_runs_its_runs_as_single_runs_do(tmp_path):
    scenario = interdict.load_scenario(ROOT / "scenarios/veracruz.toml",
                                       set={"simulation.duration": 300})
    study = interdict.study(scenario, grid={"patrols[0].intensity": [0.2, 0.5]}, replicates=2,
                            seed=9, variants={"no-action": {"interventions": []},
                                              "takedown": {}},
                            directory=tmp_path / "s", progress=False)
    assert (tmp_path / "s/study.toml").exists() and (tmp_path / "s/runs/manifest.h5").exists()
    assert len(study.runs) == 8 and study.parameters == ["patrols[0].intensity"]
    # The same directory for another study is refused, and its study file left as it was.
    text = (tmp_path / "s/study.toml").read_text()
    with pytest.raises(ValueError, match="holds another study"):
        interdict.study(scenario, replicates=3, directory=tmp_path / "s", progress=False)
    assert (tmp_path / "s/study.toml").read_text() == text
    row = study.runs[(study.runs["variant"] == "no-action") & (study.runs["replicate"] == 1) &
                     (study.runs["patrols[0].intensity"] == 0.5)].iloc[0]
    alone = interdict.run(scenario, set={"interventions": [], "patrols[0].intensity": 0.5},
                          seed=9, replicate=1)
    for metric in ("delivered_kg", "seized_kg", "arrests"):
        assert row[metric] == alone.summary[metric], metric


def test_a_sweep_shows_progress_with_tqdm(tmp_path, capsys):
    pytest.importorskip("tqdm")
    interdict.study(ROOT / "scenarios/minimal.toml", replicates=6, progress=True, workers=2)
    err = capsys.readouterr().err
    assert "6/6" in err and "run" in err


def test_results_in_memory_go_wherever_files_go(tmp_path):
    run = interdict.run(ROOT / "scenarios/veracruz.toml")
    assert ia.open_run(run) is run and ia.open_result(run) is run
    from interdict_analysis.report import write_report
    written = write_report(run, tmp_path / "report")
    assert any(p.name == "report.md" for p in written)
    assert "in memory" in (tmp_path / "report/report.md").read_text()
    import matplotlib
    matplotlib.use("Agg")
    ia.plot_timeseries(run, "delivered_kg")
    ia.plot_network(run)
    with pytest.raises(ia.FormatError):
        ia.open_run(b"not an hdf5 file")
    with pytest.raises(ia.FormatError, match="<memory>: not an interdict result"):  # HDF5, no run
        ia.open_run(_hdf5_bytes(tmp_path))
    # open_run reads the series with h5py; xarray's own reading gives the same Dataset.
    import xarray as xr
    written = tmp_path / "v.h5"
    run = interdict.run(ROOT / "scenarios/veracruz.toml", output=written)
    with xr.open_dataset(written, group="timeseries", engine="h5netcdf") as ds:
        expected = ds.load()
    expected.attrs.update({k: v for k, v in run.attrs.items() if k != "scenario_toml"})
    assert run.timeseries.identical(expected)
    # Every group as xarray, as xarray reads it from the file.
    groups = run.to_xarray()
    assert set(groups) == {"timeseries", "summary", "interventions", "network/nodes",
                           "network/ties", "network/changes", "network/seizures",
                           "network/flows"}
    for group, ours in groups.items():
        with xr.open_dataset(written, group=group, engine="h5netcdf") as ds:
            theirs = ds.load()
        assert list(ours.data_vars) == [v for v in theirs.data_vars], group
        for name in ours.data_vars:
            a, b = ours[name].values, theirs[name].values
            if a.dtype.kind in "fiu":
                assert np.array_equal(a.astype(float), b, equal_nan=True), (group, name)
            else:
                assert list(a) == [str(x) for x in b], (group, name)


SYNTHETIC = ROOT / "scenarios/synthetic.toml"


def synthetic(shipment_rate: float, cells: int = 150) -> dict:
    """The generated network run for 100 years with more shipments: about 0.7 s of C++ at rate 5
    and 150 cells, 1.6 s at 20 and 1,000 cells, 5 s at 100 and 3,000 cells (on the test machine)."""
    return {"simulation.duration": 36500, "generate.shipment_rate": shipment_rate,
            "generate.cells": cells, "output.sample_interval": 100}


def _script(body: str) -> list:
    return [PYTHON, "-c", textwrap.dedent(body)]


def test_the_gil_is_released_while_cpp_runs():
    ticks = 0
    worker = threading.Thread(target=interdict.run, args=(SYNTHETIC, synthetic(20, 1000)))
    started = time.monotonic()
    worker.start()
    while worker.is_alive():
        ticks += 1
        time.sleep(0.005)
    elapsed = time.monotonic() - started
    assert elapsed > 0.3, "the run was too short to tell"
    # With the GIL held for the whole run, the loop would tick once or twice.
    assert ticks > 0.3 * elapsed / 0.005


@pytest.mark.parametrize("what", ["run", "sweep"])
def test_ctrl_c_stops_cleanly(what, tmp_path):
    """The process sends itself SIGINT (Ctrl-C) half a second into a 5-second run, or once a
    sweep's first run has finished: KeyboardInterrupt comes at once, a run leaves no file, and
    a sweep keeps what finished for resume."""
    out = tmp_path / "out"
    if what == "run":
        call = (f"threading.Timer(0.5, ctrl_c).start(); interdict.run({str(SYNTHETIC)!r}, "
                f"set={synthetic(100, 3000)!r}, output={str(out)!r})")
    else:
        call = (f"interdict.study({str(SYNTHETIC)!r}, set={synthetic(5)!r}, replicates=6, "
                f"workers=2, directory={str(out)!r}, progress=lambda done, failed, total: "
                "done >= 1 and not sent and ctrl_c())")
    proc = subprocess.run(_script(f"""
        import os, signal, sys, threading, time
        import interdict
        sent = []
        def ctrl_c():
            sent.append(time.monotonic())
            os.kill(os.getpid(), signal.SIGINT)
        try:
            {call}
        except KeyboardInterrupt:
            print("interrupted after", time.monotonic() - sent[0], flush=True)
            sys.exit(3)
        print("finished", flush=True)
        """), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, (proc.stdout, proc.stderr)
    assert float(proc.stdout.split()[-1]) < 1.0  # at once, not at the end
    if what == "run":
        assert not list(tmp_path.iterdir())  # nothing written, not even half
    else:
        published = ia.open_study(out / "runs")
        assert 1 <= len(published.runs) < 6 and len(published.missing) == 6 - len(published.runs)
        # Resuming runs the rest only, as after a sweep killed and resumed.
        resumed = interdict.sweep(out / "study.toml", out / "runs", resume=True, workers=2,
                                  progress=False)
        assert len(resumed.runs) == 6 and (resumed.runs["status"] == "ok").all()
        pd.testing.assert_frame_equal(resumed.runs.loc[published.runs.index, "delivered_kg"]
                                      .to_frame(), published.runs[["delivered_kg"]])


def test_installs_with_pip(venv, tmp_path):
    build = pathlib.Path(interdict._interdict.__file__).parent.parent  # build/python/..
    env = dict(os.environ, INTERDICT_CMAKE_BUILD_DIR=str(build), INTERDICT_SOURCE_DIR=str(ROOT))
    env.pop("PYTHONPATH", None)
    for package in ("analysis", "sim/python"):
        # pip builds in the directory it is given: a copy, so nothing is written into the checkout
        copy = tmp_path / "src" / package
        shutil.copytree(ROOT / package, copy, ignore=shutil.ignore_patterns("__pycache__"))
        proc = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-deps",
                               "--no-build-isolation", "--no-index", str(copy)],
                              capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    where = subprocess.run([str(venv / "bin" / "python"), "-I", "-c",
                            "import interdict, _interdict; "
                            "r = interdict.run('" + str(ROOT / "scenarios/minimal.toml") + "'); "
                            "print(_interdict.__file__, r.summary['delivered_kg'])"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert str(venv) in where.stdout


def test_runs_beside_h5py_in_another_thread_never_deadlock(tmp_path):
    """h5py holds libhdf5's lock while it calls back into Python (visititems), and may wait
    there for the GIL: a run must not write its result while holding the GIL."""
    some_file = tmp_path / "some.h5"
    interdict.run(ROOT / "scenarios/minimal.toml", output=some_file)
    proc = subprocess.run(_script(f"""
        import threading, h5py, interdict
        done = []
        def runs():
            for _ in range(5):
                interdict.run({str(ROOT / 'scenarios/minimal.toml')!r},
                              set={{"simulation.duration": 2}})
            done.append(True)
        t = threading.Thread(target=runs)
        t.start()
        while t.is_alive():
            with h5py.File({str(some_file)!r}, "r") as f:
                f.visititems(lambda name, obj: None)
        t.join()
        print("ok" if done else "failed")
        """), capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "ok", proc.stderr


def test_run_sh_puts_the_packages_on_the_path(tmp_path):
    """What ./run.sh does (.ci/setup.sh, interdict_install_python): a .pth file after which a
    plain /usr/bin/python3 imports interdict and interdict_analysis from this checkout."""
    site = tmp_path / "site"
    proc = subprocess.run(["bash", "-c", "source .ci/setup.sh && interdict_install_python"],
                          cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, INTERDICT_PYTHON_SITE=str(site)))
    assert proc.returncode == 0, proc.stderr
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "INTERDICT_IGNORE_PTH")}
    # -S: no site-packages but ours and Debian's (the machine's own .pth may name another
    # checkout, and site directories added later come after it).
    check = subprocess.run([PYTHON, "-S", "-c", f"import site; site.addsitedir({str(site)!r}); "
                            "site.addsitedir('/usr/lib/python3/dist-packages'); "
                            "import interdict, interdict_analysis, _interdict; "
                            "print(interdict.__file__, interdict_analysis.__file__, "
                            "interdict.run('scenarios/minimal.toml').summary['delivered_kg'])"],
                           cwd=ROOT, capture_output=True, text=True, env=env)
    assert check.returncode == 0, check.stderr
    assert str(ROOT / "sim/python/interdict") in check.stdout
    assert str(ROOT / "analysis/interdict_analysis") in check.stdout
