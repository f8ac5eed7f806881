"""A study's life on a shared cluster: edited between resumes, started twice, a full disk, damaged
files, killed MPI jobs. Each test asserts that nothing finished is lost and nothing is mixed."""
import os
import re
import sys
import shutil
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest

from conftest import ROOT
from test_sweep import journals, mpirun, published_keys, series_by_key

sys.path.insert(0, str(ROOT / "analysis"))
from interdict_analysis import FormatError, open_study  # noqa: E402

STUDY = """
[study]
name = "faults"
scenario = "{scenario}"
replicates = {replicates}
seed = 7
random_numbers = "common"

[study.set]
"simulation.duration" = 120

[[variants]]
name = "base"

[[variants]]
name = "more-patrols"
set = {{ "patrols[0].detection_probability" = 0.5 }}
"""


def write_study(tmp_path, replicates=3, name="study.toml"):
    scenario = tmp_path / "scenario.toml"
    if not scenario.exists():
        shutil.copy(ROOT / "scenarios" / "minimal.toml", scenario)
    path = tmp_path / name
    path.write_text(STUDY.format(scenario=scenario, replicates=replicates))
    return path


def batch_files(out):
    return sorted(p for p in out.iterdir() if p.name.startswith("runs-") and p.name.endswith(".h5"))


def snapshot(out):
    return {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.suffix == ".h5"}


def damage(path, at=None):
    """Overwrites a few bytes in the middle of a file, as a crashed node's disk might."""
    data = bytearray(path.read_bytes())
    at = len(data) // 2 if at is None else at
    data[at:at + 8] = bytes(b ^ 0xFF for b in data[at:at + 8])
    path.write_bytes(bytes(data))


CHANGES = {
    "seed": (lambda s: s.replace("seed = 7", "seed = 8"), "seed = 7"),
    "random numbers": (lambda s: s.replace('"common"', '"independent"'), "random_numbers"),
    "variant set": (lambda s: s.replace("= 0.5 }", "= 0.6 }"), "detection_probability"),
    "study set": (lambda s: s.replace("= 120", "= 121"), "simulation.duration"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_resume_refuses_an_edited_study_and_keeps_what_was_published(run_cli, tmp_path, change):
    study = write_study(tmp_path)
    out = tmp_path / "out"
    assert run_cli("sweep", study, "-o", out, "--workers", "2").returncode == 0
    before = snapshot(out)
    edit, shown = CHANGES[change]
    original = study.read_text()
    study.write_text(edit(original))
    proc = run_cli("sweep", study, "-o", out, "--resume")
    assert proc.returncode == 2, proc.stderr
    assert "holds results of a different study" in proc.stderr and shown in proc.stderr
    assert "new directory" in proc.stderr and proc.stderr.count("error:") == 1
    assert snapshot(out) == before  # nothing written, nothing removed
    study.write_text(original)  # as it was: resuming is fine again
    proc = run_cli("sweep", study, "-o", out, "--resume")
    assert proc.returncode == 0, proc.stderr
    assert "0 runs done" in proc.stdout
    assert run_cli("merge", out).returncode == 0


def test_resume_refuses_an_edited_scenario(run_cli, tmp_path):
    study = write_study(tmp_path)
    out = tmp_path / "out"
    assert run_cli("sweep", study, "-o", out, "--workers", "1").returncode == 0
    scenario = tmp_path / "scenario.toml"
    scenario.write_text(scenario.read_text().replace("duration = 365", "duration = 300"))
    proc = run_cli("sweep", study, "-o", out, "--resume")
    assert proc.returncode == 2
    assert "the scenario" in proc.stderr and str(scenario) in proc.stderr


def start_sweep(interdict, study, out, args, ready):
    """Starts a sweep in the background and returns it once ready(out) (or after a minute)."""
    proc = subprocess.Popen([str(interdict), "sweep", str(study), "-o", str(out), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and not (out.exists() and ready(out)):
        time.sleep(0.005)
    return proc


def test_a_second_sweep_of_a_directory_in_use_is_refused(interdict, run_cli, tmp_path):
    study = write_study(tmp_path, replicates=400)
    out = tmp_path / "out"
    first = start_sweep(interdict, study, out, ["--workers", "1", "--batch-runs", "16"], batch_files)
    assert first.poll() is None, "the first sweep ended before the second started"
    for extra in ([], ["--resume"]):
        second = run_cli("sweep", study, "-o", out, "--workers", "1", *extra)
        assert second.returncode == 2
        assert "is running in this directory already" in second.stderr
    stdout, stderr = first.communicate(timeout=120)
    assert first.returncode == 0, stderr
    keys = published_keys(out)
    assert len(keys) == len(set(keys)) == 800  # every run once
    assert run_cli("merge", out).returncode == 0


def test_shards_share_a_directory_but_other_shard_counts_do_not(interdict, run_cli, tmp_path):
    study = write_study(tmp_path, replicates=300)
    out = tmp_path / "out"
    shard0 = start_sweep(interdict, study, out, ["--shard", "0/2", "--workers", "1"],
                         lambda o: (o / "manifest.h5").exists())
    other_count = run_cli("sweep", study, "-o", out, "--shard", "1/3")
    shard1 = run_cli("sweep", study, "-o", out, "--shard", "1/2", "--workers", "1")
    stdout, stderr = shard0.communicate(timeout=120)
    assert shard0.returncode == 0 and shard1.returncode == 0, stderr + shard1.stderr
    if other_count.returncode != 0:  # refused while shard 0/2 ran (it may have ended first)
        assert other_count.returncode == 2
        assert "with 2 shards is running" in other_count.stderr
    keys = published_keys(out)
    assert len(set(keys)) == 600
    assert run_cli("merge", out).returncode == 0


def test_a_damaged_batch_is_named_never_parsed_and_run_again(run_cli, tmp_path):
    study = write_study(tmp_path)
    clean, out = tmp_path / "clean", tmp_path / "out"
    for d in (clean, out):
        assert run_cli("sweep", study, "-o", d, "--workers", "2", "--batch-runs", "2").returncode == 0
    assert run_cli("merge", clean).returncode == 0
    victim = batch_files(out)[0]
    damage(victim)
    proc = run_cli("merge", out)
    assert proc.returncode == 2 and victim.name in proc.stderr and "damaged" in proc.stderr
    assert not (out / "merged.h5").exists()
    proc = run_cli("inspect", out)
    assert proc.returncode == 0 and victim.name in proc.stderr and "not published" in proc.stdout
    with pytest.raises(FormatError, match="damaged"):
        open_study(out)
    proc = run_cli("sweep", study, "-o", out, "--resume")
    assert proc.returncode == 0, proc.stderr
    assert "1 damaged batches set aside" in proc.stdout and "2 runs done" in proc.stdout
    assert (out / ("damaged-" + victim.name)).exists()
    assert run_cli("merge", out).returncode == 0
    reference, merged = series_by_key(clean / "merged.h5"), series_by_key(out / "merged.h5")
    assert reference.keys() == merged.keys()
    for key in reference:
        np.testing.assert_array_equal(merged[key], reference[key])


KILL_STUDY = f"""
[study]
scenario = "{ROOT / 'scenarios' / 'synthetic.toml'}"
replicates = 60
"""


def test_a_damaged_journal_loses_only_its_damaged_runs(interdict, run_cli, tmp_path):
    study = tmp_path / "long.toml"
    study.write_text(KILL_STUDY)
    out = tmp_path / "out"
    proc = subprocess.Popen([str(interdict), "sweep", str(study), "-o", str(out), "--workers", "1",
                             "--batch-runs", "1000"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and not (out.exists() and journals(out)
                                          and journals(out)[0].stat().st_size > 400_000):
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    journal = journals(out)[0]
    size = journal.stat().st_size
    damage(journal, at=size * 2 // 3)
    proc = run_cli("sweep", study, "-o", out, "--resume", "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    done, published, recovered = map(int, re.search(
        r"(\d+) runs done .* (\d+) already published \((\d+) recovered", proc.stdout).groups())
    assert recovered >= 1 and done + recovered == 60
    keys = published_keys(out)
    assert len(keys) == len(set(keys)) == 60
    assert not journals(out)
    assert run_cli("merge", out).returncode == 0


def test_stale_temporary_files_of_killed_sweeps_are_removed(run_cli, tmp_path):
    study = write_study(tmp_path)
    out = tmp_path / "out"
    assert run_cli("sweep", study, "-o", out).returncode == 0
    stale = out / "runs-0123456789abcdef.h5.tmp.node7.4242.0"
    stale.write_bytes(b"half a batch")
    assert run_cli("sweep", study, "-o", out, "--resume").returncode == 0
    assert not stale.exists()


def test_a_run_recording_few_series_prints_its_summary(run_cli, tmp_path):
    out = tmp_path / "few.h5"
    proc = run_cli("run", ROOT / "scenarios" / "minimal.toml", "-o", out,
                   "--set", 'output.series=["arrests"]')
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"produced\s+\d+\s+\d+", proc.stdout) and out.exists()
    with h5py.File(out, "r") as f:
        assert list(f["timeseries"].keys()) == ["arrests", "time"] or "produced_kg" not in f["timeseries"]
        assert f["summary/shipments_produced"][()] > 0


def test_killed_mpi_sweep_resumes_without_recomputing_journalled_runs(interdict, tmp_path):
    study = tmp_path / "long.toml"
    study.write_text(KILL_STUDY.replace("replicates = 60", "replicates = 200"))
    out = tmp_path / "out"
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    job = subprocess.Popen(["mpirun", "-n", "2", str(interdict), "sweep", str(study), "-o", str(out),
                            "--batch-runs", "1000"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and not (out.exists() and
                                          sum(j.stat().st_size for j in journals(out)) > 1_000_000):
        time.sleep(0.005)
    assert job.poll() is None
    job.kill()  # mpirun only: its ranks may go on for a while
    job.wait()
    early = mpirun(interdict, "sweep", study, "-o", out, "--resume")
    if early.returncode != 0:  # ranks of the killed job were still running: refused, untouched
        assert "still running" in early.stderr or "running in this directory" in early.stderr
        try:
            os.killpg(job.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # they ended meanwhile
        for _ in range(20):
            time.sleep(0.5)
            early = mpirun(interdict, "sweep", study, "-o", out, "--resume")
            if early.returncode == 0:
                break
    assert early.returncode == 0, early.stderr
    done, published = map(int, re.search(r"(\d+) runs done .* (\d+) already published",
                                         early.stdout).groups())
    assert done + published == 200
    keys = published_keys(out)
    assert len(keys) == len(set(keys)) == 200  # nothing journalled was computed twice
    assert not journals(out)


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KiB file system (tmpfs); needs root, else the test is skipped."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a full disk is made with a small tmpfs, which needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_ends_with_one_message_and_nothing_half_written(interdict, run_cli, tmp_path,
                                                                    small_disk):
    veracruz = ROOT / "scenarios" / "veracruz.toml"
    proc = run_cli("run", veracruz, "-o", small_disk / "v.h5")
    assert proc.returncode == 1
    assert proc.stderr.count("error:") == 1 and "No space left on device" in proc.stderr
    assert str(small_disk / "v.h5") in proc.stderr
    assert os.listdir(small_disk) == []

    study = write_study(tmp_path, replicates=20)
    good = tmp_path / "good"
    assert run_cli("sweep", study, "-o", good).returncode == 0
    proc = run_cli("merge", good, "-o", small_disk / "m.h5")
    assert proc.returncode == 1 and "No space left on device" in proc.stderr
    assert os.listdir(small_disk) == []

    out = small_disk / "sweep"
    proc = run_cli("sweep", study, "-o", out, "--workers", "2", "--batch-runs", "4")
    assert proc.returncode == 1 and "No space left on device" in proc.stderr
    assert not [n for n in os.listdir(out) if ".tmp." in n]
    # Room again: the resume completes what the full disk stopped, and nothing is mixed.
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    proc = run_cli("sweep", study, "-o", out, "--resume")
    assert proc.returncode == 0, proc.stderr
    assert run_cli("merge", out).returncode == 0
    assert run_cli("merge", good).returncode == 0
    reference, merged = series_by_key(good / "merged.h5"), series_by_key(out / "merged.h5")
    assert reference.keys() == merged.keys()
    for key in reference:
        np.testing.assert_array_equal(merged[key], reference[key])


def test_a_full_disk_under_mpi_stops_every_rank_and_says_why(interdict, tmp_path, small_disk):
    study = write_study(tmp_path, replicates=100)
    proc = mpirun(interdict, "sweep", study, "-o", small_disk / "sweep")
    assert proc.returncode != 0
    assert "No space left on device" in proc.stderr
    assert "terminate called" not in proc.stderr
    assert not [n for n in os.listdir(small_disk / "sweep") if ".tmp." in n]


def test_sweeping_again_without_resume_is_refused(run_cli, tmp_path):
    study = write_study(tmp_path)
    out = tmp_path / "out"
    assert run_cli("sweep", study, "-o", out).returncode == 0
    before = snapshot(out)
    proc = run_cli("sweep", study, "-o", out)
    assert proc.returncode == 2
    assert "already holds results of this study" in proc.stderr and "--resume" in proc.stderr
    assert snapshot(out) == before  # nothing computed again, nothing written
    # Shards of one directory each start without --resume: the other shard's runs do not count.
    shards = tmp_path / "shards"
    for shard in ("0/2", "1/2"):
        assert run_cli("sweep", study, "-o", shards, "--shard", shard).returncode == 0
    assert run_cli("merge", shards).returncode == 0
