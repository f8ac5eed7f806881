"""Foreign and hostile files: `inspect` and `merge` refuse them with one message naming the file
(exit 2) instead of crashing or allocating gigabytes; `network --json` is valid JSON whatever
bytes the labels hold."""
import json
import os

import h5py
import numpy as np
import xxhash

from conftest import ROOT

STUDY = """
[study]
name = "t"
scenario = "{scenario}"
replicates = 2
seed = 7
"""


def test_inspect_refuses_a_string_attribute_stored_as_an_array(run_cli, tmp_path):
    path = tmp_path / "array.h5"
    with h5py.File(path, "w") as f:
        f.attrs["format"] = np.array(["interdict-result"] * 64, dtype=h5py.string_dtype())
    for extra in ([], ["--json"]):
        proc = run_cli("inspect", path, *extra)
        assert proc.returncode == 2, proc.stderr
        assert "array.h5" in proc.stderr and "attribute format" in proc.stderr
        assert proc.stdout == ""


def test_inspect_reads_fixed_length_string_attributes(run_cli, tmp_path):
    out = tmp_path / "run.h5"
    assert run_cli("run", ROOT / "scenarios" / "minimal.toml", "-o", out, "-q").returncode == 0
    with h5py.File(out, "a") as f:
        del f.attrs["scenario_name"]
        f.attrs.create("scenario_name", np.bytes_("fixed"), dtype="S16")
    proc = run_cli("inspect", out, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["attributes"]["scenario_name"] == "fixed"


def test_inspect_refuses_a_dataset_larger_than_its_file(run_cli, tmp_path):
    path = tmp_path / "huge.h5"
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "interdict-result"
        f.attrs["format_version"] = 1
        f.create_dataset("timeseries/time", shape=(2**28,), dtype="f8")  # declared, not stored
    assert path.stat().st_size < 1_000_000
    proc = run_cli("inspect", path)
    assert proc.returncode == 2
    assert "huge.h5" in proc.stderr and "/timeseries/time declares 268435456" in proc.stderr


def test_merge_names_a_damaged_batch_and_exits_2(run_cli, tmp_path):
    study = tmp_path / "study.toml"
    study.write_text(STUDY.format(scenario=ROOT / "scenarios" / "minimal.toml"))
    out = tmp_path / "sweep"
    assert run_cli("sweep", study, "-o", out, "--workers", "1").returncode == 0
    batch = sorted(n for n in os.listdir(out) if n.startswith("runs-"))[0]
    with h5py.File(out / batch, "a") as f:
        del f.attrs["study_toml"]
        f.attrs["study_toml"] = np.array(["a", "b"], dtype=h5py.string_dtype())
        del f.attrs["format"]
        f.attrs["format"] = np.array(["interdict-study"] * 2, dtype=h5py.string_dtype())
    proc = run_cli("merge", out)  # its bytes no longer match the digest in its name
    assert proc.returncode == 2 and batch in proc.stderr and "damaged" in proc.stderr
    # Named by its new digest, as a faulty writer would, its contents are checked in turn.
    key = batch.split("-")[1]
    renamed = f"runs-{key}-{xxhash.xxh3_64((out / batch).read_bytes()).hexdigest()}.h5"
    (out / batch).rename(out / renamed)
    batch = renamed
    proc = run_cli("merge", out)
    assert proc.returncode == 2, proc.stderr
    assert batch in proc.stderr and "attribute format" in proc.stderr


def test_network_json_is_valid_whatever_the_labels_bytes(run_cli, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"source,target\nJos\xe9,Mar\xeda\nMar\xeda,Ana\\\x01\n")
    for extra in ([], ["--measure", "degree"], ["--fragmentation", "degree"]):
        proc = run_cli("network", path, "--json", *extra)
        assert proc.returncode == 0, proc.stderr
        data = json.loads(proc.stdout)
    assert "Jos\ufffd" in {step["removed"] for step in data["steps"]}
    values = json.loads(run_cli("network", path, "--json", "--measure", "degree").stdout)["values"]
    assert set(values) == {"Jos\ufffd", "Mar\ufffda", "Ana\\\x01"}
