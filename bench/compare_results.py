#!/usr/bin/python3
"""Checks that two builds of interdict give the same results for every shipped scenario and study.

    /usr/bin/python3 bench/compare_results.py OLD_INTERDICT NEW_INTERDICT [--keep DIR] [--bench]
                                              [--only TEXT]

Runs every scenario under scenarios/ with both binaries (`run`, default seed) and every study
under scenarios/studies/ (`sweep` on two workers, then `merge`; studies with a [morris] or [sobol]
design scaled down to two trajectories or four base rows and one replicate, and skipped, saying
so, when the old binary does not read them), then compares the HDF5 files:
every dataset both files hold must be equal value for value (NaN equal to NaN), and every
attribute both hold too, except those that name the software (version, git commit); the members
both hold of each group must come in the same order. Datasets or
columns only one file holds are listed (a change that adds an output says so), never silently
passed. Merged study files of format version 4 label runs by key where older ones number them
(0, 1, ...): a `run` dimension scale of keys equals one of numbers when the keys are the older
file's `runs/run_key` in that order; integers stored as int64 equal the same numbers stored as
float64; and a change of `format_version` is reported, not counted as a difference.
Exit status 0 when every common value is equal, 1 otherwise.
"""
import argparse
import pathlib
import re
import subprocess
import sys
import tempfile

import h5py
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "analysis"))
from sensitivity_takedown import scaled_down  # noqa: E402
# Metadata that differs between any two builds, or between two writes of one run.
IGNORED_ATTRIBUTES = {"software_version", "git_commit", "wall_seconds", "created"}
# Dimension scales' object references point into their own file: equal files differ there.
IGNORED_ATTRIBUTES |= {"DIMENSION_LIST", "REFERENCE_LIST"}
# Columns that say which software made a run (its digest includes the version).
IGNORED_DATASETS = {"identity"}


def is_study(path):
    return path.parent.name == "studies" or "[study]" in path.read_text()


def has_design(path):
    return re.search(r"^\[(morris|sobol)\]", path.read_text(), flags=re.M) is not None


def refuses(binary, study):
    """Whether `binary` does not read a study file (an older interdict, a newer design)."""
    return subprocess.run([binary, "plan", study], capture_output=True).returncode == 2


def produce(binary, source, out_dir):
    """Runs `source` with `binary` into out_dir; returns the result file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if is_study(source):
        sweep = out_dir / "sweep"
        subprocess.run([binary, "sweep", source, "-o", sweep, "--workers", "2"], check=True,
                       capture_output=True, text=True)
        subprocess.run([binary, "merge", sweep], check=True, capture_output=True, text=True)
        return sweep / "merged.h5"
    result = out_dir / "result.h5"
    subprocess.run([binary, "run", source, "-o", result, "-q"], check=True, capture_output=True,
                   text=True, cwd=source.parent)
    return result


def items(path):
    """Every dataset and attribute by path, and each group's members in the order the file
    lists them (creation order where the group tracks it)."""
    found, order = {}, {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                found[name] = obj[()]
            else:
                order[name] = list(obj.keys())
            for key, value in obj.attrs.items():
                found[f"{name}@{key}"] = value
        for key, value in f.attrs.items():
            found[f"@{key}"] = value
        order["/"] = list(f.keys())
        f.visititems(visit)
    return found, order


def equal(a, b):
    if isinstance(a, bytes):
        a = a.decode()
    if isinstance(b, bytes):
        b = b.decode()
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape:
            return False
        if a.dtype.kind == "f" and b.dtype.kind == "f":
            return bool(np.array_equal(a, b, equal_nan=True))
        return bool(np.array_equal(a, b))
    return a == b or (isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b))


def text(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in np.asarray(values).ravel()]


def same_runs(name, a, b, old, new):
    """Whether `run` scales a (row numbers, format 2-3) and b (run keys, format 4) name the same
    runs in the same order (their units and long_name change with them)."""
    if "@" in name:
        scale, attribute = name.rsplit("@", 1)
        return (attribute in ("units", "long_name") and scale.rsplit("/", 1)[-1] == "run"
                and scale in old and scale in new and same_runs(scale, old[scale], new[scale],
                                                                old, new))
    if name.rsplit("/", 1)[-1] != "run" or "runs/run_key" not in old:
        return False
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind != "f" or b.dtype.kind not in "OSU" or a.shape != b.shape:
        return False
    keys = text(old["runs/run_key"])
    return [keys[int(i)] for i in a] == text(b)


def compare(old_file, new_file):
    (old, old_order), (new, new_order) = items(old_file), items(new_file)
    differences, only, labelled = [], [], 0
    for group in sorted(old_order.keys() & new_order.keys()):
        common = set(old_order[group]) & set(new_order[group])
        if [m for m in old_order[group] if m in common] != [m for m in new_order[group] if m in common]:
            differences.append(f"{group}: members in another order")
    for name in sorted(old.keys() | new.keys()):
        leaf = name.rsplit("@", 1)[-1] if "@" in name else name.rsplit("/", 1)[-1]
        if leaf in IGNORED_ATTRIBUTES or leaf in IGNORED_DATASETS:
            continue
        if name not in old or name not in new:
            if "@" not in name:  # a dataset; its attributes go with it
                only.append(("new" if name in new else "old") + ": " + name)
            elif leaf == "coordinates":  # format 4: the run coordinates of a variable
                labelled += 1
        elif name == "@format_version" and old[name] != new[name]:
            only.append(f"format version {old[name]} -> {new[name]}: {name}")
        elif not equal(old[name], new[name]) and not same_runs(name, old[name], new[name], old, new):
            differences.append(name)
    if labelled:
        only.insert(0, f"one file: `coordinates` attributes (run coordinates) on {labelled} variables")
    return differences, only


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=pathlib.Path)
    parser.add_argument("new", type=pathlib.Path)
    parser.add_argument("--keep", type=pathlib.Path, help="write the results here, not to a temp dir")
    parser.add_argument("--only", metavar="TEXT",
                        help="only the scenarios and studies whose path contains TEXT")
    parser.add_argument("--bench", action="store_true",
                        help="also compare bench/large.toml (a generated network)")
    args = parser.parse_args()
    # Calibration files are not runs: a calibration is many studies, compared by the tests
    # (tests/python/test_calibration.py) rather than here.
    sources = sorted(p for p in (ROOT / "scenarios").rglob("*.toml")
                     if "[calibration]" not in p.read_text())
    if args.bench:
        sources.append(ROOT / "bench" / "large.toml")
    if args.only:
        sources = [p for p in sources if args.only in str(p.relative_to(ROOT))]
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or pathlib.Path(tmp)
        for source in sources:
            label = source.relative_to(ROOT)
            name = str(label).replace("/", "_")
            if is_study(source) and has_design(source):
                (base / "scaled").mkdir(parents=True, exist_ok=True)
                source = scaled_down(source, base / "scaled")
                if refuses(args.old.resolve(), source):
                    print(f"{'new':9} {label}: the old interdict does not read it, not compared")
                    continue
            old = produce(args.old.resolve(), source, base / "old" / name)
            new = produce(args.new.resolve(), source, base / "new" / name)
            differences, only = compare(old, new)
            status = "DIFFERENT" if differences else "same"
            print(f"{status:9} {label}")
            for d in differences[:20]:
                print(f"    differs: {d}")
            for o in only[:20]:
                print(f"    only in {o}")
            failed |= bool(differences)
    print("results identical" if not failed else "RESULTS DIFFER")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
