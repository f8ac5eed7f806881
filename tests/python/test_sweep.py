"""Studies: plan expansion and stable keys, sweeps on workers and shards, resume, merge."""
import os
import re
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import xarray as xr

from conftest import ROOT

STUDY = """
[study]
name = "t"
scenario = "{scenario}"
replicates = {replicates}
seed = 7

[[variants]]
name = "base"

[[variants]]
name = "same-as-base"
set = {{}}

[[variants]]
name = "more-patrols"
set = {{ "patrols[0].detection_probability" = 0.5 }}

[grid]
"simulation.duration" = [100, 150]
"""


def write_study(tmp_path, replicates=2, scenario="minimal.toml", extra=""):
    path = tmp_path / "study.toml"
    path.write_text(STUDY.format(scenario=ROOT / "scenarios" / scenario, replicates=replicates) + extra)
    return path


def plan_keys(run_cli, study):
    proc = run_cli("plan", study, "--list")
    assert proc.returncode == 0, proc.stderr
    return dict(re.findall(r"^([0-9a-f]{16})\s+(\S+\s+\d+)", proc.stdout, flags=re.M))


def runs_table(path):
    with xr.open_dataset(path, group="runs", engine="h5netcdf") as runs:
        return runs.to_dataframe().set_index("run_key")


def series_by_key(path, metric="delivered_kg"):
    keys = runs_table(path).index
    with xr.open_dataset(path, group="timeseries", engine="h5netcdf") as ts:
        return {key: ts[metric].values[i] for i, key in enumerate(keys)}


def test_plan_counts_and_keys_do_not_depend_on_position(run_cli, tmp_path):
    study = write_study(tmp_path)
    proc = run_cli("plan", study)
    assert "12 runs = 3 variants x 2 parameter points x 2 replicates" in proc.stdout
    before = plan_keys(run_cli, study)
    assert len(before) == 12
    # A new variant, listed first, renumbers nothing.
    study.write_text(study.read_text().replace("[[variants]]\nname = \"base\"",
                                               "[[variants]]\nname = \"early\"\nset = { \"simulation.seed\" = 3 }\n\n"
                                               "[[variants]]\nname = \"base\"", 1))
    after = plan_keys(run_cli, study)
    assert len(after) == 16  # 4 variants x 2 points x 2 replicates
    assert all(after[k] == v for k, v in before.items())


def mpirun(interdict, *args, ranks=2):
    """interdict under mpirun -n 2 (OpenMPI; root allowed, as in CI containers)."""
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    return subprocess.run(["mpirun", "-n", str(ranks), str(interdict), *map(str, args)], capture_output=True,
                          text=True, timeout=300, env=env)


def test_sweep_results_do_not_depend_on_workers_shards_or_ranks(interdict, run_cli, tmp_path):
    study = write_study(tmp_path)
    merged = {}
    out = tmp_path / "mpi"
    proc = mpirun(interdict, "sweep", study, "-o", out, "--batch-runs", "2")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("(MPI) t: 12 runs done")  # one summary, from rank 0
    assert run_cli("merge", out).returncode == 0
    merged["mpirun -n 2"] = out / "merged.h5"
    for name, commands in {
        "one-worker": [["--workers", "1"]],
        "two-workers": [["--workers", "2", "--batch-runs", "1"]],
        "two-shards": [["--shard", "0/2", "--workers", "1"], ["--shard", "1/2", "--workers", "2"]],
    }.items():
        out = tmp_path / name
        for extra in commands:
            proc = run_cli("sweep", study, "-o", out, *extra)
            assert proc.returncode == 0, proc.stderr
        assert run_cli("merge", out).returncode == 0
        merged[name] = out / "merged.h5"
    reference = series_by_key(merged["one-worker"])
    assert len(reference) == 12
    for name in ("two-workers", "two-shards", "mpirun -n 2"):
        other = series_by_key(merged[name])
        assert other.keys() == reference.keys()
        for key in reference:
            np.testing.assert_array_equal(other[key], reference[key], err_msg=f"{name} {key}")


def test_mpi_chunks_on_sixteen_ranks_give_the_same_results(interdict, run_cli, tmp_path):
    # 16 ranks on this machine's cores (oversubscribed): more ranks than some chunks, fixed
    # chunks of 5 (12 runs: 15 ranks ask, 3 get runs, the last a short chunk) and adaptive ones.
    study = write_study(tmp_path)
    reference_dir = tmp_path / "one-worker"
    assert run_cli("sweep", study, "-o", reference_dir, "--workers", "1").returncode == 0
    assert run_cli("merge", reference_dir).returncode == 0
    reference = series_by_key(reference_dir / "merged.h5")
    for name, extra in {"chunk-5": ["--chunk", "5"], "adaptive": []}.items():
        out = tmp_path / name
        proc = mpirun(interdict, "sweep", study, "-o", out, "--batch-runs", "2", *extra, ranks=16)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith("(MPI) t: 12 runs done (0 failed)"), proc.stdout
        assert run_cli("merge", out).returncode == 0
        other = series_by_key(out / "merged.h5")
        assert other.keys() == reference.keys()
        for key in reference:
            np.testing.assert_array_equal(other[key], reference[key], err_msg=f"{name} {key}")


def test_common_random_numbers_make_identical_variants_identical(run_cli, tmp_path):
    study = write_study(tmp_path)
    out = tmp_path / "crn"
    assert run_cli("sweep", study, "-o", out, "--workers", "2").returncode == 0
    assert run_cli("merge", out).returncode == 0
    runs = runs_table(out / "merged.h5")
    series = series_by_key(out / "merged.h5")
    for (duration, replicate), group in runs.groupby(["simulation.duration", "replicate"]):
        by_variant = {row.variant: key for key, row in group.iterrows()}
        np.testing.assert_array_equal(series[by_variant["base"]], series[by_variant["same-as-base"]])
        assert not np.array_equal(series[by_variant["base"]], series[by_variant["more-patrols"]])
    assert (runs.seed == "7").all()


def published_keys(directory):
    """Run keys in the published batches (read with h5py: batches carry no dimension scales)."""
    import h5py
    keys = []
    for name in sorted(os.listdir(directory)):
        if name.startswith("runs-") and name.endswith(".h5"):
            with h5py.File(directory / name, "r") as f:
                keys += [k.decode() if isinstance(k, bytes) else k for k in f["runs/run_key"][()]]
    return keys


KILL_STUDY = f"""
[study]
scenario = "{ROOT / 'scenarios' / 'synthetic.toml'}"
replicates = 60

[grid]
"generate.shipment_rate" = [0.5, 1.0]
"""


def sweep_until(interdict, study, out, args, ready):
    """Starts a sweep and SIGKILLs it (no clean-up, possibly mid-write) once ready(out)."""
    proc = subprocess.Popen([str(interdict), "sweep", str(study), "-o", str(out), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None and not (out.exists() and ready(out)):
        time.sleep(0.002)
    assert proc.poll() is None, proc.stderr.read()
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def journals(out):
    return [out / n for n in os.listdir(out) if n.startswith("journal-")]


def test_killed_sweep_resumes_without_losing_or_recomputing(interdict, run_cli, tmp_path):
    study = tmp_path / "long.toml"
    study.write_text(KILL_STUDY)
    out = tmp_path / "killed"
    batches = lambda o: len([n for n in os.listdir(o) if n.startswith("runs-") and n.endswith(".h5")])
    sweep_until(interdict, study, out, ["--workers", "1", "--batch-runs", "2"],
                lambda o: batches(o) >= 3)
    before = published_keys(out)
    assert 6 <= len(before) < 120, "the sweep was not killed mid-way"
    mtimes = {n: os.stat(out / n).st_mtime_ns for n in os.listdir(out) if n.endswith(".h5")}
    assert run_cli("merge", out).returncode == 1  # incomplete: refused
    proc = run_cli("sweep", study, "-o", out, "--resume", "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    done, published = map(int, re.search(r"(\d+) runs done .* (\d+) already published", proc.stdout).groups())
    assert published >= len(before) and done + published == 120
    after = published_keys(out)
    assert len(after) == len(set(after)) == 120  # nothing lost, nothing computed twice
    for name, mtime in mtimes.items():
        assert os.stat(out / name).st_mtime_ns == mtime  # published files untouched
    assert not journals(out)
    assert run_cli("merge", out).returncode == 0


def test_a_kill_loses_only_the_runs_in_progress(interdict, run_cli, tmp_path):
    """Nothing is published before the kill (large batches): every finished run is in the
    journal, and the resumed sweep recovers them all and recomputes none of them."""
    study = tmp_path / "long.toml"
    study.write_text(KILL_STUDY)
    out = tmp_path / "killed"
    started = []

    def ready(o):
        grown = [j for j in journals(o) if j.stat().st_size > 0]
        if grown and not started:
            started.append(time.time())
        return bool(started) and time.time() - started[0] > 0.15

    sweep_until(interdict, study, out, ["--workers", "2", "--batch-runs", "1000"], ready)
    assert not published_keys(out) and journals(out)
    proc = run_cli("sweep", study, "-o", out, "--resume", "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    match = re.search(r"(\d+) runs done .* (\d+) already published \((\d+) recovered from journals\)",
                      proc.stdout)
    assert match, proc.stdout
    done, published, recovered = map(int, match.groups())
    assert recovered == published >= 2 and done + recovered == 120
    after = published_keys(out)
    assert len(after) == len(set(after)) == 120
    assert not journals(out)


def test_merge_refuses_incomplete_results_and_names_them(run_cli, tmp_path):
    study = write_study(tmp_path)
    out = tmp_path / "partial"
    assert run_cli("sweep", study, "-o", out, "--batch-runs", "1", "--workers", "1").returncode == 0
    victim = sorted(n for n in os.listdir(out) if n.startswith("runs-"))[0]
    missing_key = victim.split("-")[1]  # runs-<key>-<digest>.h5
    os.remove(out / victim)
    proc = run_cli("merge", out)
    assert proc.returncode == 1
    assert "1 of 12 planned runs have no successful result" in proc.stderr
    assert missing_key in proc.stderr
    assert not (out / "merged.h5").exists()


def test_bad_study_files_give_located_errors(run_cli, tmp_path):
    study = write_study(tmp_path, extra='"routes[0].exposre" = [1, 2]\n')
    proc = run_cli("plan", study)
    assert proc.returncode == 2
    assert re.search(r"study\.toml:\d+:\d+: grid\.\"routes\[0\]\.exposre\": unknown key", proc.stderr), proc.stderr
    study = write_study(tmp_path, extra="[lockstep]\n\"a\" = [1, 2]\n\"b\" = [1]\n")
    proc = run_cli("plan", study)
    assert proc.returncode == 2 and "lock-step lists must have the same length" in proc.stderr
    study.write_text("[study]\nscenario = \"nowhere.toml\"\n")
    proc = run_cli("plan", study)
    assert proc.returncode == 2 and "study.scenario: no scenario file" in proc.stderr
    proc = run_cli("sweep", write_study(tmp_path), "-o", tmp_path / "x", "--shard", "2/2")
    assert proc.returncode == 2 and "--shard expects I/N" in proc.stderr


@pytest.mark.parametrize("study", sorted((ROOT / "scenarios" / "studies").glob("*.toml")), ids=lambda p: p.stem)
def test_example_studies_run_and_merge(run_cli, tmp_path, study):
    """Every example study runs; those with a sensitivity design (thousands of runs) at their
    smallest size, as analysis/sensitivity_takedown.py --quick runs them."""
    if re.search(r"^\[(morris|sobol)\]", study.read_text(), flags=re.M):
        sys.path.insert(0, str(ROOT / "analysis"))
        from sensitivity_takedown import scaled_down
        study = scaled_down(study, tmp_path)
    out = tmp_path / study.stem
    proc = run_cli("sweep", study, "-o", out, "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    assert run_cli("merge", out).returncode == 0
    runs = runs_table(out / "merged.h5")
    assert (runs.status == "ok").all()
    assert (runs.delivered_kg > 0).all()


def test_a_run_repeated_alone_gives_the_sweeps_results(interdict, run_cli, tmp_path):
    import shlex
    study = write_study(tmp_path)
    out = tmp_path / "out"
    assert run_cli("sweep", study, "-o", out, "--workers", "2").returncode == 0
    assert run_cli("merge", out).returncode == 0
    swept = series_by_key(out / "merged.h5")
    import h5py
    with h5py.File(out / "merged.h5", "r") as f:  # the merge names its study
        assert f.attrs["study_name"] == "t" and "replicates = 2" in f.attrs["study_toml"]
    key = next(k for k, v in plan_keys(run_cli, study).items() if v.startswith("more-patrols"))
    proc = run_cli("plan", study, "--command", key)
    assert proc.returncode == 0, proc.stderr
    words = shlex.split(proc.stdout)
    assert words[:2] == ["interdict", "run"] and f"results/t-{key}.h5" in words
    subprocess.run([str(interdict)] + words[1:], cwd=tmp_path, check=True, capture_output=True)
    with xr.open_dataset(tmp_path / "results" / f"t-{key}.h5", group="timeseries",
                         engine="h5netcdf") as alone:
        values = alone["delivered_kg"].values
    np.testing.assert_array_equal(values, swept[key][:len(values)])
    assert np.isnan(swept[key][len(values):]).all()
    proc = run_cli("plan", study, "--command", "0123456789abcdef")
    assert proc.returncode == 2 and "no run with key" in proc.stderr


def test_a_study_can_record_fewer_series_without_changing_them(run_cli, tmp_path):
    full = write_study(tmp_path)
    out_full, out_few = tmp_path / "full", tmp_path / "few"
    assert run_cli("sweep", full, "-o", out_full).returncode == 0
    few = tmp_path / "few.toml"
    few.write_text(full.read_text().replace(
        "seed = 7", 'seed = 7\nset = { "output.series" = ["seized_kg", "delivered_kg"] }'))
    assert run_cli("plan", few, "--list").stdout.split("\n")[3:] == \
        run_cli("plan", full, "--list").stdout.split("\n")[3:]  # the same runs, the same keys
    assert run_cli("sweep", few, "-o", out_few).returncode == 0
    for out in (out_full, out_few):
        assert run_cli("merge", out).returncode == 0
    with xr.open_dataset(out_few / "merged.h5", group="timeseries", engine="h5netcdf") as ts:
        assert sorted(ts.data_vars) == ["delivered_kg", "seized_kg"]
    for metric in ("delivered_kg", "seized_kg"):
        a, b = series_by_key(out_full / "merged.h5", metric), series_by_key(out_few / "merged.h5", metric)
        assert a.keys() == b.keys()
        for key in a:
            np.testing.assert_array_equal(a[key], b[key])
    # The batches are that much smaller (2 of 41 series).
    size = lambda out: sum(p.stat().st_size for p in out.glob("runs-*.h5"))
    assert size(out_few) < size(out_full) / 4


def test_variants_can_run_scenario_files(run_cli, tmp_path):
    """A variant that names a scenario file runs exactly what `interdict run FILE` runs with the
    same seed and replicate; without a study scenario every variant must name one."""
    takedown = ROOT / "scenarios" / "strategies" / "takedown-2011.toml"
    patrols = ROOT / "scenarios" / "strategies" / "sea-patrols.toml"
    study = tmp_path / "files.toml"
    study.write_text(f"""[study]
replicates = 1
seed = 7
set = {{ "simulation.duration" = 300 }}
[[variants]]
name = "takedown"
scenario = "{takedown}"
[[variants]]
name = "patrols"
scenario = "{patrols}"
""")
    proc = run_cli("plan", study, "--list")
    assert proc.returncode == 0, proc.stderr
    assert "scenario of each variant" in proc.stdout
    out = tmp_path / "out"
    assert run_cli("sweep", study, "-o", out, "--workers", "2").returncode == 0
    assert run_cli("merge", out).returncode == 0
    runs = xr.open_dataset(out / "merged.h5", group="runs", engine="h5netcdf").to_dataframe()
    for variant, scenario in (("takedown", takedown), ("patrols", patrols)):
        key = runs.loc[runs["variant"] == variant, "run_key"].item()
        command = run_cli("plan", study, "--command", key).stdout
        assert str(scenario) in command
        single = tmp_path / f"{variant}.h5"
        proc = run_cli("run", scenario, "--seed", 7, "--set", "simulation.duration=300",
                       "-o", single, "-q")
        assert proc.returncode == 0, proc.stderr
        alone = xr.open_dataset(single, group="summary", engine="h5netcdf")
        row = runs[runs["variant"] == variant].iloc[0]
        assert row["delivered_kg"] == float(alone["delivered_kg"])
    # No study scenario and a variant without one: located error.
    study.write_text("[study]\n[[variants]]\nname = \"a\"\n")
    proc = run_cli("plan", study)
    assert proc.returncode == 2 and "variants[0]" in proc.stderr and "scenario" in proc.stderr
    study.write_text("[study]\n[[variants]]\nname = \"a\"\nscenario = \"missing.toml\"\n")
    proc = run_cli("plan", study)
    assert proc.returncode == 2
    assert re.search(r"files\.toml:4:\d+: variants\[0\]\.scenario: no scenario file", proc.stderr), proc.stderr


def batch_mtimes(out):
    return {p.name: p.stat().st_mtime_ns for p in out.glob("runs-*.h5")}


def grow(study, replicates=None, variant=None):
    """Edits a study file as a researcher extends a study: more replicates, or one more variant."""
    text = study.read_text()
    if replicates is not None:
        text = re.sub(r"replicates = \d+", f"replicates = {replicates}", text)
    if variant is not None:
        text = text.replace("[grid]", f'[[variants]]\nname = "{variant}"\n'
                                      f'set = {{ "patrols[0].detection_probability" = 0.3 }}\n\n[grid]')
    study.write_text(text)


def sweep_ok(run_cli, study, out, *args):
    proc = run_cli("sweep", study, "-o", out, *args)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_a_study_grows_by_replicates_and_variants_running_only_the_new_runs(run_cli, tmp_path):
    study = write_study(tmp_path)
    out = tmp_path / "out"
    sweep_ok(run_cli, study, out, "--workers", "2", "--batch-runs", "3")
    assert run_cli("merge", out).returncode == 0
    before, old_keys = batch_mtimes(out), set(published_keys(out))
    grow(study, replicates=3)
    proc = sweep_ok(run_cli, study, out, "--resume", "--workers", "2")
    assert re.search(r"6 runs done \(0 failed\), 12 already published, 6 new runs planned", proc.stdout), proc.stdout
    grow(study, variant="some-patrols")
    proc = sweep_ok(run_cli, study, out, "--resume")
    assert re.search(r"6 runs done \(0 failed\), 18 already published, 6 new runs planned", proc.stdout), proc.stdout
    assert all(batch_mtimes(out)[name] == mtime for name, mtime in before.items())  # untouched
    keys = published_keys(out)
    assert len(keys) == len(set(keys)) == 24 and old_keys < set(keys)
    assert set(keys) == set(plan_keys(run_cli, study))
    assert len((out / "manifest.h5.xxh3").read_text().split()) == 1
    proc = sweep_ok(run_cli, study, out, "--resume")  # nothing left: the grown plan is the plan
    assert "0 runs done" in proc.stdout and "new runs planned" not in proc.stdout
    assert run_cli("merge", out).returncode == 0  # the merge of the grown study
    import h5py
    with h5py.File(out / "merged.h5", "r") as f:
        assert "replicates = 3" in f.attrs["study_toml"] and "some-patrols" in f.attrs["study_toml"]
    # Values equal a sweep of the grown study from scratch.
    fresh = tmp_path / "fresh"
    sweep_ok(run_cli, study, fresh, "--workers", "2")
    assert run_cli("merge", fresh).returncode == 0
    grown, reference = series_by_key(out / "merged.h5"), series_by_key(fresh / "merged.h5")
    assert grown.keys() == reference.keys() and len(grown) == 24
    for key in reference:
        np.testing.assert_array_equal(grown[key], reference[key], err_msg=key)


def test_a_grown_study_that_changed_or_lost_runs_is_refused(run_cli, tmp_path):
    study = write_study(tmp_path)
    out = tmp_path / "out"
    sweep_ok(run_cli, study, out, "--workers", "2")
    original = study.read_text()
    manifest = (out / "manifest.h5").stat().st_mtime_ns
    before = batch_mtimes(out)

    def refused(*args):
        proc = run_cli("sweep", study, "-o", out, *args)
        assert proc.returncode == 2, proc.stderr
        assert batch_mtimes(out) == before and (out / "manifest.h5").stat().st_mtime_ns == manifest
        return proc.stderr

    grow(study, replicates=3)
    study.write_text(study.read_text().replace("seed = 7", "seed = 8"))  # grown, and changed
    stderr = refused("--resume")
    assert "holds results of a different study" in stderr and "seed" in stderr
    study.write_text(original.replace('[[variants]]\nname = "more-patrols"', '[[variants]]\nname = "other"'))
    stderr = refused("--resume")  # a variant renamed: its runs are gone, others added
    assert "4 of which this study no longer has" in stderr and "more-patrols" in stderr
    assert "can grow" in stderr and "new directory" in stderr
    study.write_text(original)
    grow(study, replicates=3)
    assert "--resume" in refused()  # growing a directory with results asks for --resume
    study.write_text(original.replace("[100, 150]", "[100]"))  # fewer grid values
    assert "no longer has" in refused("--resume")
    study.write_text(original)
    assert "0 runs done" in sweep_ok(run_cli, study, out, "--resume").stdout


def test_shards_and_mpi_sweep_a_grown_study(interdict, run_cli, tmp_path):
    study = write_study(tmp_path)
    out = tmp_path / "shards"
    for shard in ("0/2", "1/2"):
        sweep_ok(run_cli, study, out, "--shard", shard)
    before = batch_mtimes(out)
    grow(study, replicates=3)
    # Both shards of the grown study at once: the first grows the manifest, the second agrees.
    procs = [subprocess.Popen([str(interdict), "sweep", str(study), "-o", str(out), "--shard", shard,
                               "--resume"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for shard in ("0/2", "1/2")]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    done = sum(int(re.search(r"(\d+) runs done", o).group(1)) for o, _ in outputs)
    assert done == 6
    assert all(batch_mtimes(out)[n] == m for n, m in before.items())
    assert run_cli("merge", out).returncode == 0
    mpi = tmp_path / "mpi"
    study_text = study.read_text()
    grow(study, replicates=2)
    assert mpirun(interdict, "sweep", study, "-o", mpi).returncode == 0
    study.write_text(study_text)
    proc = mpirun(interdict, "sweep", study, "-o", mpi, "--resume")
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"6 runs done \(0 failed\), 12 already published, 6 new runs planned", proc.stdout), proc.stdout
    assert run_cli("merge", mpi).returncode == 0
    a, b = series_by_key(out / "merged.h5"), series_by_key(mpi / "merged.h5")
    assert a.keys() == b.keys() and len(a) == 18
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


def test_a_study_does_not_grow_under_a_sweep_of_its_old_plan(interdict, run_cli, tmp_path):
    study = tmp_path / "long.toml"
    study.write_text(KILL_STUDY)
    out = tmp_path / "busy"
    old = subprocess.Popen([str(interdict), "sweep", str(study), "-o", str(out), "--shard", "0/2",
                            "--workers", "1", "--batch-runs", "1000"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 60
        while time.time() < deadline and not (out.exists() and journals(out)):
            time.sleep(0.005)
        assert old.poll() is None
        study.write_text(KILL_STUDY.replace("replicates = 60", "replicates = 61"))
        proc = run_cli("sweep", study, "-o", out, "--shard", "1/2", "--resume")
        assert proc.returncode == 2, proc.stderr
        assert "before it grew" in proc.stderr
        assert old.poll() is None  # the running sweep goes on
    finally:
        old.send_signal(signal.SIGKILL)
        old.wait()
    proc = run_cli("sweep", study, "-o", out, "--resume", "--workers", "2")  # now it may grow
    assert proc.returncode == 0, proc.stderr
    assert "2 new runs planned" in proc.stdout
    assert run_cli("merge", out).returncode == 0


def test_merged_runs_are_labelled_by_key_with_their_variant_and_replicate(run_cli, tmp_path):
    """Format 4: no join needed; run keys label the runs, variant, replicate and the varied
    parameters are coordinates of every per-run variable, integers are integers."""
    study = write_study(tmp_path)
    out = tmp_path / "out"
    sweep_ok(run_cli, study, out, "--workers", "2")
    assert run_cli("merge", out).returncode == 0
    merged = out / "merged.h5"
    keys = plan_keys(run_cli, study)
    with xr.open_dataset(merged, group="timeseries", engine="h5netcdf") as ts:
        delivered = ts.delivered_kg.load()
    assert set(delivered.run.values) == set(keys)
    for name in ("variant", "replicate", "simulation.duration"):
        assert name in delivered.coords and delivered[name].dims == ("run",)
    assert delivered.replicate.dtype == np.int64
    key = next(k for k, v in keys.items() if v.startswith("more-patrols"))
    one = delivered.sel(run=key)
    assert one.variant.item() == "more-patrols" and one.replicate.item() == int(keys[key].split()[-1])
    means = delivered.groupby("variant").mean()
    assert sorted(means.variant.values) == ["base", "more-patrols", "same-as-base"]
    with xr.open_dataset(merged, group="runs", engine="h5netcdf") as runs:
        assert runs.delivered_kg.sel(run=key).variant.item() == "more-patrols"
        assert runs.replicate.dtype == np.int64 and (runs.run.values == runs.run_key.values).all()
        np.testing.assert_array_equal(runs.delivered_kg.sel(run=key), delivered.sel(run=key).dropna("time")[-1])
    with xr.open_dataset(merged, group="interventions", engine="h5netcdf") as log:
        assert log.run.dtype == np.int64
    import h5py
    with h5py.File(merged, "r") as f:
        assert f.attrs["format_version"] == 4
    for batch in out.glob("runs-*.h5"):  # batches keep their layout
        with h5py.File(batch, "r") as f:
            assert f.attrs["format_version"] == 2
