"""Sensitivity designs ([morris], [sobol]) and their indices: located errors for bad designs,
Sobol indices of the Ishigami function against their closed form, and a Morris ranking."""
import re
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "analysis"))
import interdict_analysis as ia  # noqa: E402

MINIMAL = ROOT / "scenarios" / "minimal.toml"
# Three number keys of minimal.toml that accept [0, 1]; the test maps them to [-pi, pi].
ISHIGAMI_KEYS = ["routes[0].exposure", "routes[1].exposure", "patrols[0].detection_probability"]


def write_design(tmp_path, design, name="design.toml", study_extra=""):
    path = tmp_path / name
    path.write_text(f'[study]\nscenario = "{MINIMAL}"\n{study_extra}\n{design}')
    return path


def planned(run_cli, tmp_path, study):
    """The plan `interdict plan --write` gives for a study, as analysis reads it."""
    out = tmp_path / "plan.h5"
    proc = run_cli("plan", study, "--write", out)
    assert proc.returncode == 0, proc.stderr
    return ia.open_plan(out)


def ishigami(x, a=7.0, b=0.1):
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a=7.0, b=0.1):
    """Closed-form first- and total-order indices of the Ishigami function."""
    v1 = 0.5 * (1 + b * np.pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * np.pi ** 8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def test_sobol_indices_of_the_ishigami_function(run_cli, tmp_path):
    ranges = ", ".join(f'"{k}" = [0, 1]' for k in ISHIGAMI_KEYS)
    study = write_design(tmp_path, f"[sobol]\nbase_points = 1024\nseed = 5\nranges = {{ {ranges} }}")
    plan = planned(run_cli, tmp_path, study)
    design = ia.design_of(plan)
    assert design.method == "sobol" and sorted(design.factors) == sorted(ISHIGAMI_KEYS)
    assert len(plan.runs) == 1024 * (3 + 2)
    unit = design.unit(plan.runs)
    x = -np.pi + 2 * np.pi * unit[:, [design.factors.index(k) for k in ISHIGAMI_KEYS]]
    y = pd.Series(ishigami(x), index=plan.runs.index)
    table = ia.sobol_indices(plan, y, bootstrap=500).loc[ISHIGAMI_KEYS]
    first, total = ishigami_indices()
    np.testing.assert_allclose(first, [0.3139, 0.4424, 0.0], atol=1e-3)
    np.testing.assert_allclose(total, [0.5576, 0.4424, 0.2437], atol=1e-3)
    for column, truth in (("S1", first), ("ST", total)):
        estimate = table[column].to_numpy()
        assert np.all(np.abs(estimate - truth) < 0.05), (column, estimate, truth)
        # The 95% bootstrap intervals cover the truth, and are narrow enough to mean something.
        assert np.all((table[f"{column}_low"] <= truth + 0.01) &
                      (truth - 0.01 <= table[f"{column}_high"])), table
        assert np.all(table[f"{column}_high"] - table[f"{column}_low"] < 0.25), table
    # Swapping two factors' outputs moves the indices with them: the check can fail.
    swapped = pd.Series(ishigami(x[:, [1, 0, 2]]), index=plan.runs.index)
    wrong = ia.sobol_indices(plan, swapped, bootstrap=50).loc[ISHIGAMI_KEYS, "S1"].to_numpy()
    assert np.abs(wrong - first).max() > 0.1


def test_morris_ranks_factors_of_a_known_function(run_cli, tmp_path):
    keys = ISHIGAMI_KEYS + ["sources[0].rate"]
    ranges = ", ".join(f'"{k}" = [0.1, 1]' for k in keys)
    study = write_design(tmp_path, f"[morris]\ntrajectories = 30\nlevels = 4\nranges = {{ {ranges} }}")
    plan = planned(run_cli, tmp_path, study)
    design = ia.design_of(plan)
    assert len(plan.runs) == 30 * (len(keys) + 1)
    u = design.unit(plan.runs)[:, [design.factors.index(k) for k in keys]]
    # Influence falls from the first key to the last, which has none; u0 and u2 interact.
    y = 10 * u[:, 0] + 5 * u[:, 1] ** 2 + 2 * u[:, 2] + 3 * u[:, 0] * u[:, 2]
    table = ia.morris_indices(plan, pd.Series(y, index=plan.runs.index), bootstrap=300)
    assert list(table.index) == keys
    assert table.loc[keys[3], "mu_star"] == 0 and table.loc[keys[3], "sigma"] == 0
    assert (table["n"] == 30).all()
    # The linear factor's effects in unit coordinates: 2 + 3 u0, so mu* between 2 and 5.
    assert 2 < table.loc[keys[2], "mu_star"] < 5
    assert table.loc[keys[0], "sigma"] > 0.5  # interaction shows as spread
    assert (table["mu_star_low"] <= table["mu_star"]).all()
    assert (table["mu_star"] <= table["mu_star_high"]).all()
    effects = ia.elementary_effects(plan, pd.Series(y, index=plan.runs.index))
    np.testing.assert_allclose(effects[keys[3]], 0.0)


@pytest.mark.parametrize("design, where, message", [
    ('[morris]\nranges = { "routes[0].exposre" = [0, 1] }', r'morris\.ranges\."routes\[0\]\.exposre"',
     "not a scenario key"),
    ('[sobol]\nranges = { "routes[0].exposure" = ["a", 1] }', r'sobol\.ranges\."routes\[0\]\.exposure"',
     r"expected \[low, high\]"),
    ('[sobol]\nranges = { "routes[0].exposure" = [2, 1] }', r'sobol\.ranges\."routes\[0\]\.exposure"',
     "low must be below high"),
    ('[morris]\nranges = { "routes[0].exposure" = [-1, 1] }', r'morris\.ranges\."routes\[0\]\.exposure"',
     r"not inside the key's valid range \[0, 1000\]"),
    ('[morris]\nranges = { "routes[0].capacity" = [0, 5] }', r'morris\.ranges\."routes\[0\]\.capacity"',
     "number keys; this one is of type integer"),
    ('[morris]\nranges = { "routes[0].exposure" = [0, 1, "log"] }',
     r'morris\.ranges\."routes\[0\]\.exposure"', "a log scale needs low above 0"),
    ('[morris]\nlevels = 5\nranges = { "routes[0].exposure" = [0, 1] }', r"morris\.levels",
     "must be even"),
    ('[sobol]\nranges = { "routes[9].exposure" = [0, 1] }', r'sobol\.ranges\."routes\[9\]\.exposure"',
     "scenario key routes"),
    ('[sobol]\nbase_points = 1000000\nranges = { "routes[0].exposure" = [0, 1] }', r"sobol\.base_points",
     r"plans about 3e\+06 runs .* more than the 1e\+06 a study may have"),
    ('[sobol]\nranges = { "routes[0].exposure" = [0, 1] }\n[grid]\n"routes[1].exposure" = [1, 2]',
     r"\bsobol", "stands alone"),
])
def test_bad_designs_give_one_located_error(run_cli, tmp_path, design, where, message):
    proc = run_cli("plan", write_design(tmp_path, design))
    assert proc.returncode == 2, proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert re.search(r"design\.toml:\d+:\d+: " + where + ".*" + message, lines[0]), lines[0]


def test_design_points_pair_across_variants_and_replicates(run_cli, tmp_path):
    """A Morris design with two variants and common random numbers, swept and analysed: runs
    pair by design point and replicate, and identical variants differ by exactly zero."""
    design = ('[[variants]]\nname = "a"\n[[variants]]\nname = "same"\nset = {}\n'
              '[morris]\ntrajectories = 3\nlevels = 4\n'
              'ranges = { "routes[0].exposure" = [0.5, 2], "sources[0].rate" = [0.1, 1, "log"] }')
    study = write_design(tmp_path, design, study_extra='replicates = 2\nset = { "simulation.duration" = 60 }')
    out = tmp_path / "sweep"
    assert run_cli("sweep", study, "-o", out, "--workers", "2").returncode == 0
    assert run_cli("merge", out).returncode == 0
    for source in (out, out / "merged.h5"):
        result = ia.open_study(source)
        assert ia.design_of(result).settings["trajectories"] == 3
        runs = result.runs
        assert len(runs) == 2 * 3 * 3 * 2
        assert runs.groupby(["design_point", "replicate"]).size().eq(2).all()
        delivered = runs["delivered_kg"]
        diff = ia.paired_difference(result, delivered, "same", "a")
        assert len(diff) == 18 and (diff == 0).all()
        noise = ia.replicate_noise(result, delivered, variant="a")
        assert noise["replicates"] == 2 and 0 <= noise["noise_share"] <= 1.5
        table = ia.morris_indices(result, delivered, variant="a", bootstrap=50)
        assert set(table.index) == {"routes[0].exposure", "sources[0].rate"}
        assert table.loc["sources[0].rate", "mu_star"] > 0
        with pytest.raises(ValueError, match="pass variant="):
            ia.morris_indices(result, delivered)


def test_the_takedown_sensitivity_study_runs_scaled_down(interdict, tmp_path):
    """analysis/sensitivity_takedown.py --quick: the Veracruz study's set-up (its keys, ranges,
    variants and output) at two trajectories, through to the table and the figure."""
    import subprocess
    figure = tmp_path / "figure.png"
    proc = subprocess.run([sys.executable, str(ROOT / "analysis" / "sensitivity_takedown.py"),
                           "--quick", "--interdict", str(interdict), "--figure", str(figure)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "morris design, 88 runs" in proc.stdout, proc.stdout
    rows = re.findall(r"^\| `(\S+)` \| (\d+\.\d+) \|", proc.stdout, flags=re.M)
    assert len(rows) == 21 and any(float(mu) > 0 for _, mu in rows), proc.stdout
    assert figure.stat().st_size > 10000
