"""The HTML pages of a run and of a study (analysis/interdict_analysis/view.py), loaded in headless
Chromium over the DevTools protocol: no JavaScript errors, the time slider moves the map, a click
on a variant opens its run; the pages are single files with no URL and within their size
budgets; the run shown for a variant is the study's run. Without Chromium the browser tests
are skipped with a message."""
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import time

import h5py
import numpy as np
import pandas as pd
import pytest

from conftest import ROOT, veracruz_result

sys.path.insert(0, str(ROOT / "analysis"))
import interdict_analysis as ia  # noqa: E402
from interdict_analysis import view  # noqa: E402
from interdict_analysis._browser import Browser, find_chromium  # noqa: E402

PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
#: Size budgets (docs/analysis.md): a two-year Veracruz run; a study's page with one run per
#: variant (measured: 0.30 MB for the run, 2.0 MB for the six-variant strategies study).
RUN_PAGE_BUDGET = 1_000_000
STUDY_PAGE_BUDGET = 4_000_000

#: The study the issue names: six variants, 20 replicates (120 runs, about a second to sweep).
STUDY_FILE = ROOT / "scenarios/studies/strategies.toml"
VARIANTS = ["no-action", "takedown-2011", "broker-arrests", "oracle-brokers", "sea-patrols",
            "fast-sharing"]


@pytest.fixture(scope="module")
def run_file(interdict, tmp_path_factory):
    return veracruz_result(interdict, tmp_path_factory.mktemp("view-run"), 2011)


@pytest.fixture(scope="module")
def run(run_file):
    return ia.open_run(run_file)


@pytest.fixture(scope="module")
def study(interdict, tmp_path_factory):
    """(study file, sweep directory) of scenarios/studies/strategies.toml."""
    out = tmp_path_factory.mktemp("view-study") / "out"
    proc = subprocess.run([str(interdict), "sweep", str(STUDY_FILE), "-o", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return STUDY_FILE, out


_REPRODUCED = {}


@pytest.fixture
def reproduced(monkeypatch):
    """Each study run is run again and opened once for the whole module (opening a run file
    takes seconds); later pages reuse it."""
    original = view.reproduce_run

    def once(study_file, key, binary, directory):
        if key not in _REPRODUCED:
            _REPRODUCED[key] = original(study_file, key, binary, directory)
        return _REPRODUCED[key]
    monkeypatch.setattr(view, "reproduce_run", once)


@pytest.fixture(scope="module")
def browser():
    if find_chromium() is None:
        pytest.skip("Chromium not found (Debian: apt-get install chromium): the pages were "
                    "not tested in a browser")
    with Browser() as b:
        yield b


def with_flows_and_seizures(run):
    """The run in memory (no file behind it), with /network/flows and /network/seizures tables
    as the run file lays them out: a few kilograms on every route every sample, seizures on
    the sea routes and at a place."""
    network = run.network
    routes = network.ties[network.ties["kind"].isin(["land", "sea", "air"])]
    times = run.timeseries["time"].values[1:]
    rng = np.random.default_rng(1)
    flows = pd.DataFrame([(t, tie, float(rng.integers(0, 400)), 1.0)
                          for t in times for tie in routes.index],
                         columns=["time", "tie", "kg", "loads"])
    sea = routes.index[routes["kind"] == "sea"]
    seizures = pd.DataFrame({"time": [100.0, 260.0, 500.0], "tie": [sea[0], sea[-1], -1],
                             "node": [-1, -1, 1], "kg": [400.0, 900.0, 250.0],
                             "kind": ["patrol", "patrol", "raid"],
                             "by": ["navy", "navy", "federal-police"]})
    network = dataclasses.replace(network)
    network.flows, network.seizures = flows, seizures
    return dataclasses.replace(run, path=None, network=network)


def assert_single_file(html):
    assert not re.search(r"https?://", html), "the page names a URL"
    assert not re.search(r"\bsrc\s*=", html), "the page loads a resource"
    assert "<link" not in html and "@import" not in html


# --- without a browser -------------------------------------------------------------------------

def test_run_page_is_one_file_within_budget(run_file, run, tmp_path, capsys):
    out = tmp_path / "run.html"
    assert view.main([str(run_file), "-o", str(out)]) == 0  # the CLI, in this process
    assert "wrote" in capsys.readouterr().out
    html = out.read_text(encoding="utf-8")
    assert_single_file(html)
    assert out.stat().st_size < RUN_PAGE_BUDGET
    data = view.run_data(run)
    assert len(data["map"]["nodes"]["id"]) == 48
    assert [i["id"] for i in data["interventions"]][0] == "navy-takedown-2011"
    # Flows and seizures from the file: every seized kilogram once, on routes that exist.
    seizures, flows = data["seizures"], data["flows"]
    assert sum(seizures["kg"]) == run.summary["seized_kg"]
    routes = [t for t, k in zip(data["map"]["ties"]["tie"], data["map"]["ties"]["kind"])
              if k in ("land", "sea", "air")]
    assert set(flows["tie"]) <= set(routes) and set(seizures["tie"]) <= set(routes) | {-1}


def test_a_file_without_flows_and_seizures_still_has_a_page(run_file, tmp_path):
    older = tmp_path / "older.h5"
    shutil.copy(run_file, older)
    with h5py.File(older, "r+") as f:  # as written before the tables were added
        del f["network/flows"], f["network/seizures"]
    data = view.run_data(ia.open_run(older))
    assert data["flows"] is None and data["seizures"] is None and data["map"] is not None


def test_errors_are_one_line_and_exit_2(tmp_path, capsys):
    missing = tmp_path / "missing.h5"
    proc = subprocess.run([PYTHON, str(ROOT / "analysis/view.py"), str(missing), "-o",
                           str(tmp_path / "x.html")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr == f"interdict-view: error: {missing}: no such file\n"
    text = tmp_path / "not-a-result.h5"
    text.write_text("hello")
    assert view.main([str(text), "-o", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"interdict-view: error: {text}: not an HDF5")
    assert not (tmp_path / "x.html").exists()


def test_a_study_run_is_checked_against_the_study(study, interdict, reproduced):
    study_file, out = study
    opened = ia.open_study(out)
    data = view.study_data(opened, study_file=study_file, interdict=interdict)
    assert list(data["runs"]) == VARIANTS
    for variant, entry in data["runs"].items():
        assert entry["problems"] == [], entry["problems"]
        first = opened.runs[(opened.runs["variant"] == variant)].index[0]
        assert entry["key"] == first and entry["replicate"] == 0
        assert entry["view"]["summary"]["delivered_kg"] == view._number(
            opened.runs.loc[first, "delivered_kg"])
    # A study whose row disagrees with the run (another version, an edited scenario): flagged.
    runs = opened.runs.copy()
    key = runs.index[runs["variant"] == "takedown-2011"][0]
    runs.loc[key, "delivered_kg"] += 1
    edited = dataclasses.replace(opened, runs=runs)
    with pytest.warns(UserWarning, match="differs from the study's"):
        html = ia.view_html(edited, study_file=study_file, interdict=interdict)
    assert "delivered_kg: study" in html
    # Found by its text under scenarios/ when not named.
    assert view.find_study_file(opened) == STUDY_FILE
    # Without a study file (its text found nowhere), the page has no run views and says why.
    elsewhere = dataclasses.replace(opened, attrs={**opened.attrs, "study_toml": "# edited\n"
                                                    + opened.attrs["study_toml"]})
    with pytest.warns(UserWarning, match="no run views"):
        data = view.study_data(elsewhere, study_file=None, interdict=interdict)
    assert all("unavailable" in e for e in data["runs"].values())


# --- in the browser ----------------------------------------------------------------------------

def map_picture(page):
    return page.screenshot(".network-map")


def test_run_page_in_the_browser(run, browser, tmp_path):
    path = ia.write_view(with_flows_and_seizures(run), tmp_path / "run.html")
    html = path.read_text(encoding="utf-8")
    assert_single_file(html)
    assert path.stat().st_size < RUN_PAGE_BUDGET
    page = browser.open(path)
    assert page.errors == []
    assert page.evaluate("document.querySelectorAll('.network-map .nodes g').length") == 48
    before = map_picture(page)
    assert before.startswith(b"\x89PNG")
    page.click_element(".time-slider", 0.42, 0.5)  # real input: a click on the slider's track
    day = float(page.evaluate("document.querySelector('.time-slider').value"))
    assert 250 < day < 365
    after = map_picture(page)
    assert after != before, "moving the slider did not change the map"
    status = page.evaluate("document.querySelector('.status').textContent")
    assert "relays up 2/14" in status and "seizures so far 2 (1,300 kg)" in status, status
    shown = page.evaluate("[...document.querySelectorAll('.network-map .seizures circle')]"
                          ".filter(c => c.getAttribute('visibility') === 'visible').length")
    assert shown == 2
    widths = page.evaluate("[...document.querySelectorAll('.network-map .flows line')]"
                           ".map(l => Number(l.getAttribute('stroke-width')))")
    assert len(widths) == 16 and max(widths) > 3 and len(set(widths)) > 1  # by kg carried
    future = page.evaluate("[...document.querySelectorAll('tr.future')].length")
    assert future == 2  # the 2012 interventions are still to come
    page.click_element(".play")  # play runs on its own
    time.sleep(0.6)
    assert float(page.evaluate("document.querySelector('.time-slider').value")) > day
    page.click_element(".play")
    assert page.errors == []


def test_study_page_in_the_browser(study, interdict, reproduced, browser, tmp_path, capsys):
    study_file, out = study
    path = tmp_path / "study.html"
    assert view.main([str(out), "-o", str(path), "--study", str(study_file), "--interdict",
                      str(interdict)]) == 0
    assert "warning" not in capsys.readouterr().err
    html = path.read_text(encoding="utf-8")
    assert_single_file(html)
    assert path.stat().st_size < STUDY_PAGE_BUDGET
    page = browser.open(path)
    assert page.errors == []
    assert page.evaluate("document.querySelector('.study-run').hidden") is True
    rows = page.evaluate("[...document.querySelectorAll('table.variants tr')].length")
    assert rows == 1 + len(VARIANTS)
    page.click_element('table.variants a.variant[data-variant="takedown-2011"]')
    deadline = time.monotonic() + 5
    while page.evaluate("document.querySelector('.study-run').hidden") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert page.evaluate("location.hash") == "#run=takedown-2011"
    assert page.evaluate("document.querySelector('.study').hidden") is True
    assert page.evaluate("document.querySelectorAll('.study-run .network-map .nodes g').length") == 48
    assert "equals the study's row" in page.evaluate("document.querySelector('.study-run').textContent")
    before = page.screenshot(".study-run .network-map")
    page.click_element(".study-run .time-slider", 0.7, 0.5)
    assert page.screenshot(".study-run .network-map") != before
    page.click_element(".back-link")
    assert page.evaluate("document.querySelector('.study').hidden") is False
    assert page.errors == []


def test_embedded_text_cannot_end_the_script_or_open_a_comment():
    text = view._script_json({"id": "cell</script><script>alert(1)</script><!--x"})
    assert "<" not in text
    assert json.loads(text) == {"id": "cell</script><script>alert(1)</script><!--x"}
