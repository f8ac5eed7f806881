"""The interdict command line: exit codes, messages and machine-readable output."""
import json
import math
import os
import pathlib
import re
import resource
import subprocess
import tomllib

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


def test_the_veracruz_summary_shows_how_the_takedown_acts(run_cli, tmp_path):
    # Radio hand-offs lost (sea ones included), calls over phones intercepted, the plaza without
    # command until a control centre is rebuilt, raids on stashes: none of it without the
    # interventions but the raids.
    veracruz = ROOT / "scenarios" / "veracruz.toml"
    proc = run_cli("run", veracruz, "-o", tmp_path / "v.h5")
    assert proc.returncode == 0, proc.stderr
    assert "over radio" in proc.stdout and "intercepted" in proc.stdout
    assert "without command    180 organisation-days" in proc.stdout
    assert "raids on stashes" in proc.stdout
    calm = run_cli("run", veracruz, "-o", tmp_path / "b.h5", "--set", "interventions=[]")
    assert calm.returncode == 0, calm.stderr
    assert "without command" not in calm.stdout and "(0 intercepted)" in calm.stdout


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
    # Every metric line is name, units, value with space between (the longest names used to
    # run into their units: "consumption_kg_per_daykg/day").
    for line in text.stdout.split("/timeseries")[1].splitlines()[1:]:
        if line.startswith("  ") and not line.startswith("  /"):
            name = line.split()[0]
            assert name in data["timeseries"] or name in data["summary"], line


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


def run_bounded(interdict, *args, env=None):
    """Runs interdict with 20 s and 2 GiB at most, so that a command that reads forever or
    blocks fails the test instead of hanging it or exhausting the machine."""
    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    return subprocess.run([str(interdict), *map(str, args)], capture_output=True, text=True,
                          timeout=20, env=env, preexec_fn=limit_memory)


def one_error(proc):
    """The one error line of a refused command (exit 2)."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    return lines[0]


def test_bad_entry_numbers_in_set_exit_2(run_cli):
    for index in ["x", "", "-1", " 0", "1][0"]:
        line = one_error(run_cli("validate", MINIMAL, "--set", f"patrols[{index}].x=1"))
        assert f"--set patrols[{index}].x: patrols[{index}].x: " in line
        assert f"no entry patrols[{index}]" in line
    for index in ["12345678901234567890", "99999999999999999999"]:
        line = one_error(run_cli("run", MINIMAL, "--set", f"patrols[{index}].detection_probability=1"))
        assert f"no entry patrols[{index}] in the scenario" in line


def test_bad_entry_numbers_in_a_study_exit_2(run_cli, tmp_path):
    study = tmp_path / "study.toml"
    bodies = {
        'grid': '[grid]\n"patrols[x].detection_probability" = [0.1, 0.2]\n',
        'variant': '[[variants]]\nname = "v"\nset = { "patrols[99999999999999999999].detection_probability" = 0.5 }\n',
        'study set': '[study.set]\n"patrols[].detection_probability" = 0.5\n',
    }
    for name, body in bodies.items():
        study.write_text(f'[study]\nscenario = "{MINIMAL}"\n\n{body}')
        for command in (["plan", study], ["sweep", study, "-o", tmp_path / "out"]):
            line = one_error(run_cli(*command))
            assert re.match(rf"error: {re.escape(str(study))}:\d+:\d+: ", line), (name, line)
            assert "patrols[" in line, line
        assert not (tmp_path / "out").exists()


def test_shard_numbers_are_whole_and_fit(run_cli, interdict, tmp_path):
    study = tmp_path / "study.toml"
    study.write_text(f'[study]\nscenario = "{MINIMAL}"\nreplicates = 2\n')
    for shard in ["4294967296/2", "1/2abc", "1/4294967296", "-1/2", "+1/2", " 1/2", "1", "1/0"]:
        line = one_error(run_cli("sweep", study, "-o", tmp_path / "out", "--shard", shard))
        assert f'--shard expects I/N with 0 <= I < N, got "{shard}"' in line
    base = {k: v for k, v in os.environ.items() if not k.startswith("SLURM_")}
    cases = {
        ("abc", "2", None): 'SLURM_ARRAY_TASK_ID is "abc", not a whole number',
        ("1", "2", "x"): 'SLURM_ARRAY_TASK_MIN is "x", not a whole number',
        ("1", "2abc", None): 'SLURM_ARRAY_TASK_COUNT is "2abc", not a whole number',
        ("99999999999999999999", "2", None): "SLURM_ARRAY_TASK_ID is",
        ("0", "2", "1"): "SLURM_ARRAY_TASK_ID 0 is not one of the 2 tasks from SLURM_ARRAY_TASK_MIN 1",
    }
    for (task, count, first), message in cases.items():
        env = dict(base, SLURM_ARRAY_TASK_ID=task, SLURM_ARRAY_TASK_COUNT=count)
        if first is not None:
            env["SLURM_ARRAY_TASK_MIN"] = first
        line = one_error(run_bounded(interdict, "sweep", study, "-o", tmp_path / "out", env=env))
        assert message in line, line
    assert not (tmp_path / "out").exists()
    env = dict(base, SLURM_ARRAY_TASK_ID="3", SLURM_ARRAY_TASK_MIN="2", SLURM_ARRAY_TASK_COUNT="2")
    proc = run_bounded(interdict, "sweep", study, "-o", tmp_path / "out", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "shard 1/2" in proc.stdout


def test_base_scenario_name_too_long_exit_2(run_cli, tmp_path):
    scenario = tmp_path / "long.toml"
    scenario.write_text(f'[scenario]\nbase = "{"b" * 300}.toml"\n')
    line = one_error(run_cli("validate", scenario))
    assert line.startswith(f"error: {scenario}:2:8: scenario.base: cannot read the base scenario")
    assert line.endswith(": file name too long")


def test_non_regular_files_are_refused_without_reading(interdict, tmp_path):
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    for path, kind in [("/dev/zero", "a character device"), (fifo, "a FIFO"), (tmp_path, "a directory")]:
        line = one_error(run_bounded(interdict, "network", path))
        assert line == f"error: {path}: cannot open the network file: not a regular file ({kind})"
        line = one_error(run_bounded(interdict, "validate", path))
        assert line == f"error: {path}: not a regular file ({kind})"
    for path in ["/dev/zero", fifo]:
        for key in ["file", "nodes"]:
            scenario = tmp_path / "with-network.toml"
            file = path if key == "file" else ROOT / "tests" / "data" / "networks" / "caviar.csv"
            nodes = f'nodes = "{path}"\n' if key == "nodes" else ""
            scenario.write_text(f'[scenario]\nbase = "{MINIMAL}"\n\n[[organisations]]\nid = "o"\n\n'
                                f'[social_network]\nfile = "{file}"\norganisation = "o"\n{nodes}'
                                'places = ["port"]\n')
            line = one_error(run_bounded(interdict, "run", scenario, "-o", tmp_path / "x.h5"))
            assert re.match(rf"error: {re.escape(str(scenario))}:\d+:\d+: social_network\.{key}: "
                            rf"{re.escape(str(path))}: cannot open the (network file|node table): "
                            r"not a regular file", line), line
    assert not (tmp_path / "x.h5").exists()


def test_an_empty_scenario_is_refused(run_cli, tmp_path):
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    for command in (["validate", empty], ["run", empty, "-o", tmp_path / "x.h5"]):
        line = one_error(run_cli(*command))
        assert line.startswith(f"error: {empty}: sources: the scenario defines no source of shipments")
    line = one_error(run_cli("validate", MINIMAL, "--set", "sources=[]"))
    assert line.startswith("error: --set sources: sources: the scenario defines no source")
    assert not (tmp_path / "x.h5").exists()


def test_values_that_would_not_end_are_refused(run_cli, tmp_path):
    out = tmp_path / "x.h5"
    cases = {
        "output.sample_interval=1e-9": "output.sample_interval: value 1e-09 is out of range [0.001, 36500] days",
        "output.sample_interval=5e-324": "output.sample_interval: value 4.94066e-324 is out of range",
        "interventions=[{id='x', every=5e-324, action='patrol', patrol='navy'}]":
            "interventions[0].every: value 4.94066e-324 is out of range [0.001, 36500] days",
        "sources[0].rate=5e-324": "sources[0].rate: value 4.94066e-324 is out of range [1e-06, 10000]",
        "intelligence.informant_rate=1e-300": "out of range 0 or [1e-06, 1000] 1/day",
    }
    for assignment, message in cases.items():
        for command in (["validate", MINIMAL], ["run", MINIMAL, "-o", out]):
            line = one_error(run_cli(*command, "--set", assignment))
            assert message in line, line
    line = one_error(run_cli("run", MINIMAL, "-o", out, "--set", "simulation.duration=36500",
                             "--set", "output.sample_interval=0.01"))
    assert "records 3.65e+06 samples, more than the 1e+06 a run may have" in line
    assert not out.exists()


def test_a_study_too_large_to_plan_is_refused(run_cli, tmp_path):
    study = tmp_path / "study.toml"
    values = ", ".join(str(1 + i / 100) for i in range(100))
    study.write_text(f'[study]\nscenario = "{MINIMAL}"\nreplicates = 1000\n\n[grid]\n'
                     f'"routes[0].exposure" = [{values}]\n"routes[1].exposure" = [{values}]\n')
    for command in (["plan", study], ["sweep", study, "-o", tmp_path / "out"]):
        line = one_error(run_cli(*command))
        assert line.startswith(f"error: {study}:1:1: study: the study plans about 1e+07 runs"), line
    assert not (tmp_path / "out").exists()


def test_list_entries_by_id_added_and_removed(run_cli, tmp_path):
    """--set names entries by id as well as by number, adds whole entries, and a scenario adds
    to (scenario.extend) and drops from (scenario.remove) its base's lists by id."""
    import h5py
    veracruz = ROOT / "scenarios" / "veracruz.toml"

    def fired(path):
        with h5py.File(path) as f:
            return list(dict.fromkeys(f["interventions/id"].asstr()[()]))

    by_id, by_number = tmp_path / "id.h5", tmp_path / "number.h5"
    assert run_cli("run", veracruz, "-q", "-o", by_id,
                   "--set", "patrols[navy-tuxpan].intensity=0.5").returncode == 0
    index = [p["id"] for p in tomllib.loads(veracruz.read_text())["patrols"]].index("navy-tuxpan")
    assert run_cli("run", veracruz, "-q", "-o", by_number,
                   "--set", f"patrols[{index}].intensity=0.5").returncode == 0
    with h5py.File(by_id) as a, h5py.File(by_number) as b:
        assert a["summary/delivered_kg"][()] == b["summary/delivered_kg"][()]
    proc = run_cli("validate", veracruz, "--set", "patrols[navy-tuxpn].intensity=0.5")
    assert proc.returncode == 2 and 'did you mean "navy-tuxpan"' in proc.stderr
    # A whole entry added by id (appended), with the takedown kept.
    added = tmp_path / "added.h5"
    proc = run_cli("run", veracruz, "-q", "-o", added, "--set",
                   'interventions[late-purge]={ action = "purge", at = 700 }')
    assert proc.returncode == 0, proc.stderr
    assert fired(added)[-1] == "late-purge" and "navy-takedown-2011" in fired(added)
    # A scenario that extends its base's interventions and removes one of them by id.
    derived = tmp_path / "derived.toml"
    derived.write_text(f'''[scenario]
base = "{veracruz}"
extend = ["interventions"]
remove = {{ interventions = ["army-panuco-2012"] }}

[[interventions]]
id = "late-purge"
action = "purge"
at = 700
''')
    out = tmp_path / "derived.h5"
    proc = run_cli("run", derived, "-q", "-o", out)
    assert proc.returncode == 0, proc.stderr
    ids = fired(out)
    assert "navy-takedown-2011" in ids and "late-purge" in ids and "army-panuco-2012" not in ids
    derived.write_text(derived.read_text().replace("army-panuco-2012", "army-panuko-2012"))
    proc = run_cli("validate", derived)
    assert proc.returncode == 2
    assert re.search(r"derived\.toml:4:\d+: scenario\.remove\.interventions: .*did you mean "
                     r"\"army-panuco-2012\"", proc.stderr), proc.stderr


def test_cmake_install_puts_interdict_in_a_prefix(interdict, tmp_path):
    """README: `cmake --install build --prefix PREFIX` installs PREFIX/bin/interdict."""
    build = pathlib.Path(interdict).resolve().parents[2]
    proc = subprocess.run(["cmake", "--install", str(build), "--prefix", str(tmp_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    installed = tmp_path / "bin" / "interdict"
    version = subprocess.run([str(installed), "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("interdict ")
