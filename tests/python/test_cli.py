"""The interdict command line: exit codes, messages and machine-readable output."""
import json
import math
import re

from conftest import ROOT

MINIMAL = ROOT / "scenarios" / "minimal.toml"


def test_version_names_the_commit(run_cli):
    proc = run_cli("--version")
    assert proc.returncode == 0
    assert re.match(r"interdict \d+\.\d+\.\d+ \(git \S+\)", proc.stdout)


def test_usage_errors_exit_2(run_cli):
    assert run_cli().returncode == 2
    assert run_cli("frobnicate").returncode == 2
    assert run_cli("run").returncode == 2
    assert run_cli("run", MINIMAL, "--seed", "minus-one").returncode == 2
    assert run_cli("--help").returncode == 0


def test_run_prints_a_summary_and_writes_the_file(run_cli, tmp_path):
    out = tmp_path / "sub" / "m.h5"
    proc = run_cli("run", MINIMAL, "-o", out)
    assert proc.returncode == 0, proc.stderr
    for word in ["produced", "delivered", "seized", "in transit", "seizure fraction", str(out)]:
        assert word in proc.stdout
    assert out.exists()
    assert not out.with_name("m.h5.tmp").exists()


def test_default_output_goes_to_results(run_cli, tmp_path):
    proc = run_cli("run", MINIMAL, "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "results" / "minimal.h5").exists()


def test_bad_scenario_gives_one_located_error(run_cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(MINIMAL.read_text().replace('route = "sea"', 'route = "see"'))
    for command in (["validate", bad], ["run", bad, "-o", tmp_path / "x.h5"]):
        proc = run_cli(*command)
        assert proc.returncode == 2
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1
        assert re.match(rf"error: {re.escape(str(bad))}:\d+:\d+: patrols\[0\]\.route: no route with id \"see\" "
                        r"\(did you mean \"sea\"\?\)", lines[0]), lines[0]
    assert not (tmp_path / "x.h5").exists()


def test_missing_and_non_result_files(run_cli, tmp_path):
    proc = run_cli("run", tmp_path / "nope.toml")
    assert proc.returncode == 2 and "no such file" in proc.stderr
    proc = run_cli("inspect", MINIMAL)
    assert proc.returncode == 2 and "not an HDF5 file" in proc.stderr


def test_unwritable_output_is_a_runtime_failure(run_cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    proc = run_cli("run", MINIMAL, "-o", blocker / "x.h5")
    assert proc.returncode == 1
    assert "failed" in proc.stderr


def test_inspect_json_is_parseable_and_consistent(run_cli, tmp_path):
    out = tmp_path / "m.h5"
    assert run_cli("run", MINIMAL, "-o", out, "-q", "--seed", 9).returncode == 0
    proc = run_cli("inspect", out, "--json")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert data["attributes"]["format"] == "interdict-result"
    assert data["attributes"]["seed"] == 9
    assert data["samples"] == 366
    assert data["summary"]["delivered_kg"] == data["timeseries"]["delivered_kg"]["final"]
    text = run_cli("inspect", out)
    assert text.returncode == 0 and "/summary" in text.stdout


def test_keys_lists_every_declared_key(run_cli):
    proc = run_cli("keys")
    assert proc.returncode == 0
    reference = (ROOT / "docs" / "scenario-reference.md").read_text()
    keys = re.findall(r"^\| `([^`]+)`", reference, flags=re.M)
    assert len(keys) > 30
    for key in keys:
        assert key in proc.stdout
    assert run_cli("keys", "--markdown").stdout == reference


def test_set_overrides_values_and_is_recorded(run_cli, tmp_path):
    out = tmp_path / "short.h5"
    proc = run_cli("run", MINIMAL, "-o", out, "-q", "--set", "simulation.duration=30",
                   "--set", "patrols[0].detection_probability=1.0")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(run_cli("inspect", out, "--json").stdout)
    assert data["attributes"]["duration_days"] == 30
    assert data["samples"] == 31
    assert data["attributes"]["scenario_overrides"] == \
        "simulation.duration=30\npatrols[0].detection_probability=1.0\n"
    # Every load crosses the patrolled sea leg: with certain detection nothing arrives.
    assert data["summary"]["delivered_kg"] == 0


def test_bad_overrides_name_the_command_line(run_cli):
    cases = {
        "simulation.duration=-1": "--set simulation.duration: simulation.duration: value -1 is out of range",
        "simulation.duraton=5": '--set simulation.duraton: simulation.duraton: unknown key (did you mean "duration"?)',
        "routes[9].exposure=1": "no entry routes[9] in the scenario",
        "scenario.name=abc": "cannot read the value as TOML",
        "novalue": "expected KEY=VALUE",
    }
    for assignment, message in cases.items():
        proc = run_cli("validate", MINIMAL, "--set", assignment)
        assert proc.returncode == 2, assignment
        assert message in proc.stderr, proc.stderr


def test_veracruz_baseline_removes_the_takedown(run_cli, tmp_path):
    veracruz = ROOT / "scenarios" / "veracruz.toml"
    with_takedown = tmp_path / "t.h5"
    baseline = tmp_path / "b.h5"
    assert run_cli("run", veracruz, "-o", with_takedown, "-q", "--set", "simulation.duration=300").returncode == 0
    assert run_cli("run", veracruz, "-o", baseline, "-q", "--set", "simulation.duration=300",
                   "--set", "interventions=[]").returncode == 0
    import xarray as xr
    with xr.open_dataset(with_takedown, group="timeseries", engine="h5netcdf") as t, \
         xr.open_dataset(baseline, group="timeseries", engine="h5netcdf") as b:
        assert float(t.relays_up.sel(time=249)) == 14 and float(t.relays_up.sel(time=250)) == 2
        assert float(b.relays_up.sel(time=250)) == 14
        assert float(t.arrests.sel(time=250) - t.arrests.sel(time=249)) >= 80
        assert float(t.radio_coverage.sel(time=251)) < 0.2
        # Common random numbers: identical up to the takedown.
        assert float(t.delivered_kg.sel(time=249)) == float(b.delivered_kg.sel(time=249))


def test_inspect_summarises_a_study(run_cli, tmp_path):
    import sys
    sys.path.insert(0, str(ROOT / "analysis"))
    import interdict_analysis as ia
    study = tmp_path / "study.toml"
    study.write_text(f'[study]\nname = "s"\nscenario = "{MINIMAL}"\nreplicates = 3\n\n'
                     '[[variants]]\nname = "base"\n\n[[variants]]\nname = "more-patrols"\n'
                     'set = { "patrols[0].detection_probability" = 0.5 }\n')
    out = tmp_path / "sweep"
    assert run_cli("sweep", study, "-o", out).returncode == 0
    text = run_cli("inspect", out).stdout
    assert "(sweep directory)" in text and "6 planned: 6 ok, 0 failed, 0 not published" in text
    assert re.search(r"more-patrols\s+3\s+0\s", text)
    assert "3 planned" not in run_cli("inspect", out / "manifest.h5").stdout
    assert "6 planned (a manifest)" in run_cli("inspect", out / "manifest.h5").stdout
    assert run_cli("merge", out).returncode == 0
    data = json.loads(run_cli("inspect", out / "merged.h5", "--json").stdout)
    assert data["study_name"] == "s" and data["runs"] == 6 and data["ok"] == 6
    assert "delivered_kg" in data["timeseries"]
    runs = ia.open_study(out).runs
    for variant, group in runs.groupby("variant"):
        assert math.isclose(data["variants"][variant]["mean"]["delivered_kg"],
                            group["delivered_kg"].mean(), rel_tol=1e-12)
    proc = run_cli("inspect", tmp_path)  # a directory that is not a sweep's
    assert proc.returncode == 2 and "not a sweep directory" in proc.stderr
