"""Every `./run.sh ...` and `interdict ...` command in the README and docs/ runs as written: in
a scratch directory where scenarios/, tests/ and analysis/ are the checkout's, each page's
commands in order (a merge follows its sweep), `interdict` and `./run.sh` being the binary under
test. Commands that need a cluster, a file the reader writes, or minutes of work are listed
below with the reason, and are not run."""
import os
import pathlib
import re
import shlex
import subprocess

import pytest

from conftest import ROOT

SKIPPED = {
    "mpirun -n 64": "needs 64 MPI ranks (tests/python/test_sweep.py runs mpirun -n 2)",
    "$SCRATCH": "a SLURM job script's line",
    "studies/strategies.toml -o \"$SCRATCH": "a SLURM job script's line",
    "my-scenario.toml": "a file the reader writes",
    " study.toml ": "a study the reader writes (growing one is tested in test_sweep.py)",
    "results/study": "a study the reader writes (growing one is tested in test_sweep.py)",
    "calibrate scenarios/calibration/transit-zone.toml": "four minutes of runs (the scaled-down "
                                                         "version is in test_calibration.py)",
}
PAGES = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))


def commands(page):
    for block in re.findall(r"```sh\n(.*?)```", page.read_text(), flags=re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line == "./run.sh" or not line.startswith(("./run.sh ", "interdict ",
                                                          "build/sim/cli/interdict ")):
                continue
            reason = next((why for pattern, why in SKIPPED.items() if pattern in line), None)
            yield line, reason


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_doc_commands_run_as_written(interdict, tmp_path, page):
    listed = list(commands(page))
    if not listed:
        pytest.skip(f"{page.name} has no interdict commands")
    for name in ("scenarios", "tests", "analysis"):
        (tmp_path / name).symlink_to(ROOT / name)
    for line, reason in listed:
        if reason:
            continue
        args = shlex.split(line)[1:]
        proc = subprocess.run([str(interdict), *args], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 0, f"{page.name}: {line}\n{proc.stderr}"
    # Nothing written into the checkout through the links.
    assert not (ROOT / "scenarios" / "results").exists()
