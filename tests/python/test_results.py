"""Result files open in xarray and h5py with no extra arguments and hold consistent values."""
import h5py
import numpy as np
import pytest
import xarray as xr

from conftest import ROOT

SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml")) + sorted((ROOT / "scenarios" / "strategies").glob("*.toml"))  # studies live in scenarios/studies


@pytest.fixture(params=SCENARIOS, ids=lambda p: p.stem)
def result(request, run_cli, tmp_path):
    out = tmp_path / f"{request.param.stem}.h5"
    proc = run_cli("run", request.param, "-o", out, "--seed", 5, "--replicate", 1, "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    return request.param, out


def test_timeseries_opens_in_xarray(result):
    scenario, path = result
    with xr.open_dataset(path, group="timeseries", engine="h5netcdf") as ds:
        assert list(ds.dims) == ["time"]
        assert ds["time"].attrs["units"] == "simulation days"
        assert ds["time"].values[0] == 0.0
        assert np.all(np.diff(ds["time"].values) > 0)
        for name in ["produced_kg", "delivered_kg", "seized_kg", "in_transit_kg"]:
            assert ds[name].dims == ("time",)
            assert ds[name].attrs["units"] == "kg"
        # Conservation, exactly, at every sample.
        np.testing.assert_array_equal(ds.produced_kg, ds.delivered_kg + ds.seized_kg + ds.in_transit_kg)
        assert ds.delivered_kg[-1] > 0
        assert ds.mean_delivery_days.dtype == np.float64  # not decoded as a timedelta
        frame = ds.to_dataframe()
        assert frame.index.name == "time"
        assert len(frame) == ds.sizes["time"]


def test_summary_matches_final_samples(result):
    _, path = result
    with xr.open_dataset(path, group="summary", engine="h5netcdf") as summary, \
         xr.open_dataset(path, group="timeseries", engine="h5netcdf") as ds:
        for name in ["produced_kg", "delivered_kg", "seized_kg", "in_transit_kg", "revenue_usd"]:
            assert float(summary[name]) == float(ds[name][-1])
        ended = float(summary.delivered_kg + summary.seized_kg)
        assert float(summary.seizure_fraction) == pytest.approx(float(summary.seized_kg) / ended)


def test_root_attributes_and_layout_in_h5py(result):
    scenario, path = result
    with h5py.File(path, "r") as f:
        assert f.attrs["format"] == "interdict-result"
        assert f.attrs["format_version"] == 1
        assert f.attrs["seed"] == 5
        assert f.attrs["replicate"] == 1
        assert f.attrs["scenario_toml"] == scenario.read_text(encoding="utf-8")
        assert f.attrs["software_version"]
        assert f.attrs["git_commit"]
        assert f.attrs["created"].endswith("Z")
        assert f.attrs["network_measures_method"] == "exact"  # under 1000 cells
        assert f.attrs["network_measures_exact_limit"] == 1000
        assert f.attrs["network_measures_confidence"] == 0.95
        assert f.attrs["efficiency_error"] == 0.0
        delivered = f["timeseries/delivered_kg"]
        assert delivered.compression == "gzip"
        assert delivered.chunks is not None
        assert [scale.name for scale in delivered.dims[0].values()] == ["/timeseries/time"]
        assert f["timeseries/time"].attrs["CLASS"] == b"DIMENSION_SCALE"
        assert f["summary/seized_kg"].shape == ()


def test_seizures_and_flows_open_in_xarray_and_add_up(result):
    """/network/seizures and /network/flows open as tables; the seizures add up to the summary's
    seized_kg (and the raids' to stash_seized_kg); each flow row is a route in use at a sample."""
    _, path = result
    with xr.open_dataset(path, group="network/seizures", engine="h5netcdf") as ds:
        assert list(ds.dims) == ["seizure"]
        seizures = ds.to_dataframe()
    with xr.open_dataset(path, group="network/flows", engine="h5netcdf") as ds:
        assert list(ds.dims) == ["flow"]
        assert ds["time"].attrs["units"] == "simulation days" and ds["kg"].attrs["units"] == "kg"
        flows = ds.to_dataframe()
    assert list(seizures.columns) == ["time", "tie", "node", "kg", "kind", "by"]
    assert list(flows.columns) == ["time", "tie", "kg", "loads"]
    with xr.open_dataset(path, group="summary", engine="h5netcdf") as summary, \
         xr.open_dataset(path, group="timeseries", engine="h5netcdf") as ts, \
         xr.open_dataset(path, group="network/nodes", engine="h5netcdf") as nodes, \
         xr.open_dataset(path, group="network/ties", engine="h5netcdf") as ties:
        assert seizures["kg"].sum() == pytest.approx(float(summary.seized_kg), rel=1e-12, abs=0)
        stash = seizures["kind"] == "stash"
        assert seizures.loc[stash, "kg"].sum() == pytest.approx(float(summary.stash_seized_kg),
                                                                rel=1e-12, abs=0)
        assert len(seizures) == float(summary.shipments_seized)
        assert (np.diff(seizures["time"]) >= 0).all()
        routes = np.isin(ties["kind"].values, ["land", "sea", "air"])
        places = nodes["kind"].values == "place"
        on_route = seizures["tie"] >= 0
        assert routes[seizures.loc[on_route, "tie"].astype(int)].all()
        assert places[seizures["node"].astype(int)].all()
        # Off a route: raids, or a vessel caught before it set out.
        assert set(seizures.loc[~on_route, "kind"]) <= {"stash", "intervention"}
        assert (seizures["by"] != "").all()

        assert (flows["kg"] > 0).all() and (flows["loads"] >= 1).all()
        keys = list(zip(flows["time"], flows["tie"]))
        assert keys == sorted(set(keys))  # by time, then tie, each pair once
        assert routes[flows["tie"].astype(int)].all()
        assert set(flows["time"]) <= set(ts["time"].values)
        if "routes_in_use" in ts:  # unless output.series leaves it out
            in_use = flows.groupby("time").size().reindex(ts["time"].values, fill_value=0)
            np.testing.assert_array_equal(in_use.values, ts["routes_in_use"].values)


def test_utf8_text_round_trips(run_cli, tmp_path):
    scenario = (ROOT / "scenarios" / "veracruz.toml").read_text(encoding="utf-8")
    assert "Pánuco" in scenario
    out = tmp_path / "v.h5"
    assert run_cli("run", ROOT / "scenarios" / "veracruz.toml", "-o", out, "-q").returncode == 0
    with h5py.File(out, "r") as f:
        assert "Pánuco" in f.attrs["scenario_toml"]


def test_intervention_log_opens_as_a_table(run_cli, tmp_path):
    out = tmp_path / "v.h5"
    assert run_cli("run", ROOT / "scenarios" / "veracruz.toml", "-o", out, "-q").returncode == 0
    with xr.open_dataset(out, group="interventions", engine="h5netcdf") as log:
        frame = log.to_dataframe()
    assert list(frame["id"]) == ["navy-takedown-2011", "municipal-police-purged-2011",
                                 "navy-perote-2012", "army-panuco-2012"]
    row = frame.iloc[0]
    assert row["time"] == 250.0
    assert row["id"] == "navy-takedown-2011"
    assert row["action"] == "dismantle"
    assert row["arrests"] == 80.0
    assert row["targets"].startswith("relays: centre-veracruz, centre-boca")
    with xr.open_dataset(out, group="timeseries", engine="h5netcdf") as ts:
        np.testing.assert_array_equal(
            ts.shipments_produced + ts.shipments_split,
            ts.shipments_delivered + ts.shipments_seized + ts.shipments_in_transit)


def test_a_merged_file_of_study_format_2_still_opens_with_the_same_values(run_cli, tmp_path):
    """tests/data/results/merged-format2.h5 (an older interdict's merge): the current reader
    opens it, and its values equal a merge of the same study by this interdict."""
    import sys
    sys.path.insert(0, str(ROOT / "analysis"))
    import interdict_analysis as ia
    old = ROOT / "tests" / "data" / "results" / "merged-format2.h5"
    study = tmp_path / "study.toml"
    study.write_text(f"""[study]
name = "old-format"
scenario = "{ROOT / 'scenarios' / 'minimal.toml'}"
replicates = 2
seed = 3
set = {{ "simulation.duration" = 30, "output.series" = ["delivered_kg", "seized_kg"] }}
[[variants]]
name = "base"
[[variants]]
name = "patrol"
set = {{ "patrols[0].detection_probability" = 0.5 }}
""")
    assert run_cli("sweep", study, "-o", tmp_path / "new", "--workers", "1").returncode == 0
    assert run_cli("merge", tmp_path / "new").returncode == 0
    assert run_cli("inspect", old).returncode == 0
    then, now = ia.open_study(old), ia.open_study(tmp_path / "new" / "merged.h5")
    key = ["variant", "replicate"]
    a = then.to_dataframe(series="delivered_kg").sort_values(key + ["time"]).reset_index(drop=True)
    b = now.to_dataframe(series="delivered_kg").sort_values(key + ["time"]).reset_index(drop=True)
    assert len(a) == len(b) > 0
    np.testing.assert_array_equal(a["delivered_kg"].values, b["delivered_kg"].values)
    assert list(a["variant"]) == list(b["variant"])
    runs_then = then.to_dataframe().sort_values(key)
    runs_now = now.to_dataframe().sort_values(key)
    np.testing.assert_array_equal(runs_then["seized_kg"].values, runs_now["seized_kg"].values)
