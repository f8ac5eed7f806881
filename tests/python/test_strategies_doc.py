"""Every example in docs/strategies.md runs: TOML blocks on top of scenarios/veracruz.toml, and
the `interdict` command lines."""
import re
import shlex
import tomllib

import h5py
import pytest

from conftest import ROOT

DOC = (ROOT / "docs" / "strategies.md").read_text()
TOML = re.findall(r"```toml\n(.*?)```", DOC, flags=re.S)
COMMANDS = [line for block in re.findall(r"```sh\n(.*?)```", DOC, flags=re.S)
            for line in block.splitlines() if line.startswith("interdict ")]


def test_the_page_has_examples():
    assert len(TOML) >= 12 and len(COMMANDS) >= 5


@pytest.mark.parametrize("block", TOML, ids=[f"toml-{i}" for i in range(len(TOML))])
def test_toml_example_runs_and_fires(run_cli, tmp_path, block):
    scenario = tmp_path / "example.toml"
    # Paths in the examples are relative to scenarios/, where such a scenario would live.
    block = block.replace('"../tests/', f'"{ROOT}/tests/')
    scenario.write_text(block + f'\n[scenario]\nbase = "{ROOT / "scenarios" / "veracruz.toml"}"\n')
    out = tmp_path / "example.h5"
    proc = run_cli("run", scenario, "-o", out, "--quiet", "--set", "simulation.duration=400")
    assert proc.returncode == 0, proc.stderr
    ids = [i["id"] for i in tomllib.loads(block).get("interventions", [])]
    with h5py.File(out) as f:
        fired = set(f["interventions/id"].asstr()[()])
        if "[social_network]" in block:
            assert len(f["network/nodes/id"]) > 48
    # Every intervention of the example fired within the 400 days.
    assert set(ids) <= fired, (ids, fired)


@pytest.mark.parametrize("command", COMMANDS)
def test_command_example_runs(run_cli, tmp_path, command):
    args = shlex.split(command)[1:]
    args = [str(ROOT / a) if a.startswith(("tests/", "scenarios/")) else a for a in args]
    args = [str(tmp_path / a) if a.startswith("results/") else a for a in args]
    proc = run_cli(*args, cwd=tmp_path)  # whatever a command writes stays out of the checkout
    assert proc.returncode == 0, proc.stderr
