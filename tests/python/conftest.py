"""Shared fixtures: the interdict binary under test and a helper to run it."""
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

# The tests write nothing into the checkout: no bytecode caches of the test modules or of the
# analysis package, here or in the Python processes they start (pytest's own cache is off with
# -p no:cacheprovider; test.sh also sets PYTHONDONTWRITEBYTECODE for this file).
sys.dont_write_bytecode = True
os.environ["PYTHONDONTWRITEBYTECODE"] = "1"


def build_dir() -> pathlib.Path:
    """The build tree under test: the one holding INTERDICT_BIN (build/sim/cli/interdict)."""
    binary = os.environ.get("INTERDICT_BIN")
    return pathlib.Path(binary).resolve().parents[2] if binary else ROOT / "build"


def python_path() -> str:
    """PYTHONPATH for `import interdict` from this checkout and build (sim/python with the
    extension in build/python, and the analysis package), for the tests and their children."""
    return os.pathsep.join(str(p) for p in (build_dir() / "python", ROOT / "sim" / "python",
                                            ROOT / "analysis"))


# This checkout's packages come first, and the tests' children ignore the .pth file ./run.sh
# leaves in site-packages (it may name another checkout).
os.environ["INTERDICT_IGNORE_PTH"] = "1"
sys.path[:0] = python_path().split(os.pathsep)
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [python_path(),
                                                         os.environ.get("PYTHONPATH")]))


@pytest.fixture(scope="session")
def interdict():
    """Path of the interdict executable (INTERDICT_BIN, else the default build tree)."""
    path = pathlib.Path(os.environ.get("INTERDICT_BIN", ROOT / "build" / "sim" / "cli" / "interdict"))
    if not path.exists():
        pytest.fail(f"interdict binary not found at {path}; build first or set INTERDICT_BIN")
    return path


@pytest.fixture
def run_cli(interdict):
    """Runs interdict with arguments and returns the CompletedProcess (text mode)."""
    def run(*args, **kwargs):
        return subprocess.run([str(interdict), *map(str, args)], capture_output=True, text=True,
                              timeout=120, **kwargs)
    return run


@pytest.fixture
def venv(tmp_path):
    """A virtual environment that sees the system's packages (Debian's), with pip; the test is
    skipped where venv or pip is missing."""
    where = tmp_path / "venv"
    made = subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", str(where)],
                          capture_output=True, text=True)
    if made.returncode != 0 or not (where / "bin" / "pip").exists():
        pytest.skip("python3 -m venv with pip is not available here")
    return where


def veracruz_result(interdict, directory: pathlib.Path, seed: int) -> pathlib.Path:
    """Runs scenarios/veracruz.toml with `seed` into DIRECTORY/veracruz.h5 and returns it."""
    path = directory / "veracruz.h5"
    proc = subprocess.run([str(interdict), "run", str(ROOT / "scenarios/veracruz.toml"), "-o",
                           str(path), "--seed", str(seed), "--quiet"], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    return path
