"""The validation studies (scenarios/validation/, docs/validation.md), scaled down to a few
replicates: each still runs through analysis/validation.py, gives finite measures, and shows
the directions of its finding that are robust, so that a change breaking a set-up is caught."""
import importlib.util
import math
import pathlib
import subprocess

import h5py
import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
REPLICATES = 4

_spec = importlib.util.spec_from_file_location("validation", ROOT / "analysis" / "validation.py")
validation = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(validation)


@pytest.fixture(scope="module")
def results(interdict, tmp_path_factory):
    out = tmp_path_factory.mktemp("validation")
    cache = {}

    def get(name):
        if name not in cache:
            study = validation.run_study(name, str(interdict), out, 1, REPLICATES)
            verdict, summary, detail = validation.FINDINGS[name](study, None)
            cache[name] = study, verdict, summary, detail
        return cache[name]
    return get


def paired(study, measure, variant, baseline, by="variant", rate=None):
    """Per replicate, variant minus baseline of a column of study.runs."""
    runs = study.runs[study.runs["status"] == "ok"]
    if rate is not None:
        runs = runs[runs[validation.RECRUITMENT] == rate]
    a = runs[runs[by] == variant].set_index("replicate")[measure]
    b = runs[runs[by] == baseline].set_index("replicate")[measure]
    return (a - b).dropna().to_numpy()


@pytest.mark.parametrize("name", list(validation.STUDIES))
def test_study_runs_with_finite_measures(results, name):
    study, verdict, summary, detail = results(name)
    assert verdict in ("reproduced", "partly", "not reproduced")
    assert len(study.runs) > 0 and (study.runs["status"] == "ok").all()
    assert "nan" not in detail.lower() and "inf" not in detail.lower()
    assert validation.replicates_of(study) == REPLICATES


def test_bright_targeted_removal_beats_random(results):
    study = results("bright-caviar")[0]
    for rate in (0.0, 0.05):
        for strategy in ("betweenness", "degree"):
            assert (paired(study, "lcc_mean", "random", strategy, rate=rate) > 0).all()
    # Without adaptation the order is deterministic: betweenness fragments CAVIAR sooner.
    assert (paired(study, "lcc_mean", "degree", "betweenness", rate=0.0) > 0).all()


def test_duijn_network_recovers_and_skill_hurts_less_than_degree(results):
    study = results("duijn-caviar")[0]
    assert (study.runs["efficiency_day_200"] > 0.95).all()
    assert (paired(study, "efficiency_min", "random", "degree") > 0).all()
    assert (paired(study, "efficiency_min", "skill", "degree") > 0).all()
    assert np.isfinite(study.runs["days_to_half_nodes_back"]).all()


def test_veracruz_rebuild_timing(results):
    study = results("veracruz-timing")[0]
    takedown = study.runs[study.runs["variant"] == "takedown-2011"]
    assert (takedown["relays_up_day_429"] == 2).all()
    assert (takedown["days_to_relays_rebuilt"] == 180).all()
    row = validation.ia.compare(study, "delivered_kg", baseline="no-action",
                                window=(250, 430)).loc["takedown-2011"]
    assert row["diff_ci_high"] < 0


def test_narcologic_spreading_and_displacement(results):
    study = results("narcologic")[0]
    ia, w = validation.ia, (360, 1080)
    for metric in ("places_in_use", "area_in_use_km2", "routes_in_use"):
        row = ia.compare(study, metric, baseline="none", window=w).loc["uniform"]
        assert row["diff_ci_low"] > 0, metric
    seized = ia.compare(study, "seized_kg", baseline="uniform", window=w).loc["intel-led"]
    assert seized["diff_ci_low"] > 0
    primary = ia.compare(study, "delivered_kg", baseline="none", window=w).loc["primary"]
    assert abs(primary["diff_relative"]) < 0.05  # the flow goes round the patrol


def test_van_elteren_measures(results):
    study = results("van-elteren")[0]
    assert (paired(study, "true_components 280-430", "isolate", "no-action") > 0).all()
    assert (paired(study, "handoffs_per_day 250-280", "takedown-2011", "no-action") < 0).all()
    # With no sharing delay the takedown makes the network more visible, not less.
    assert paired(study, "known_share_cells 280-430", "takedown-delay0",
                  "no-action-delay0").mean() > 0


def test_area_in_use_is_the_hull_of_the_places_used(run_cli, tmp_path):
    # Three places on the equator and one degree north: a right triangle of legs 1 degree
    # (111.19 km at the scale 6371 km x pi / 180), area 111.19^2 / 2 = 6,182 km2 (the mean
    # latitude, 1/3 degree, shrinks the east-west leg by cos(1/3 degree), 0.99998).
    scenario = tmp_path / "triangle.toml"
    scenario.write_text("""
[simulation]
duration = 10
[output]
sample_interval = 10
[[places]]
id = "a"
kind = "source"
lat = 0.0
lon = 0.0
[[places]]
id = "b"
lat = 0.0
lon = 1.0
[[places]]
id = "c"
kind = "market"
lat = 1.0
lon = 1.0
[[routes]]
id = "ab"
from = "a"
to = "b"
travel_time = { mean = 0.1 }
[[routes]]
id = "bc"
from = "b"
to = "c"
travel_time = { mean = 0.1 }
[[markets]]
id = "m"
place = "c"
price_per_kg = 1
[[sources]]
id = "s"
place = "a"
market = "m"
rate = 5
size_mean = 1
""")
    out = tmp_path / "triangle.h5"
    result = run_cli("run", scenario, "-o", out, "-q")
    assert result.returncode == 0, result.stderr
    with h5py.File(out, "r") as f:
        places = f["timeseries/places_in_use"][()]
        area = f["timeseries/area_in_use_km2"][()]
    km = 6371.0 * math.pi / 180.0
    assert places[-1] == 3
    assert area[-1] == pytest.approx(km * km * math.cos(math.radians(1 / 3)) / 2, rel=1e-9)
    assert area[0] == 0  # nothing used before the first sample
