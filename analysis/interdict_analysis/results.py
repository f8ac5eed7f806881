"""Opening interdict result files: single runs (`interdict run`) and studies (`interdict sweep`).

The layouts are documented in docs/output-format.md. Everything is read eagerly and the files
are closed again, so results can be opened while a sweep is still writing new batches.
"""
from __future__ import annotations

import io
import pathlib
import re
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence, Union

import h5py
import numpy as np
import pandas as pd
import xarray as xr
import xxhash

RUN_FORMAT = "interdict-result"
STUDY_FORMAT = "interdict-study"
#: Newest layout versions this package understands, per format.
SUPPORTED_VERSIONS = {RUN_FORMAT: 1, STUDY_FORMAT: 4}

PathLike = Union[str, pathlib.Path]


class FormatError(ValueError):
    """A file that is not an interdict result, or one written in a newer layout."""


# --- low-level reading -------------------------------------------------------------------------

def _attr(obj, name, default=None):
    value = obj.attrs.get(name, default)
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.generic):
        return value.item()
    return value


def _open_checked(path: pathlib.Path, expected: Optional[Sequence[str]] = None) -> h5py.File:
    """Opens an interdict HDF5 file read-only after checking its format and version."""
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if not h5py.is_hdf5(path):
        raise FormatError(f"{path}: not an HDF5 file, so not an interdict result")
    return _checked(h5py.File(path, "r"), str(path), expected)


def _checked(f: h5py.File, where: str, expected: Optional[Sequence[str]]) -> h5py.File:
    """`f` once its format is one this package reads, in a version it knows (and, given
    `expected`, one of those formats); else closed, and a FormatError naming `where`."""
    fmt = _attr(f, "format")
    if fmt not in SUPPORTED_VERSIONS:
        f.close()
        raise FormatError(f"{where}: not an interdict result (its 'format' attribute is "
                          f"{fmt!r}; expected {RUN_FORMAT!r} or {STUDY_FORMAT!r})")
    version = _attr(f, "format_version", 0)
    if version > SUPPORTED_VERSIONS[fmt]:
        writer = _attr(f, "software_version", "?")
        f.close()
        raise FormatError(f"{where}: written in {fmt} format version {version} by a newer "
                          f"interdict ({writer}); this "
                          f"interdict_analysis reads up to version {SUPPORTED_VERSIONS[fmt]}: "
                          "update it")
    if expected is not None and fmt not in expected:
        f.close()
        what = "a single run" if fmt == RUN_FORMAT else "a study"
        raise FormatError(f"{where}: holds {what} ({fmt}); use "
                          f"{'open_run' if fmt == RUN_FORMAT else 'open_study'} instead")
    return f


def _column(dataset) -> np.ndarray:
    if h5py.check_string_dtype(dataset.dtype) is not None:
        return np.asarray(dataset.asstr()[()], dtype=object)
    return dataset[()]


def _table(group, drop: Iterable[str] = ()) -> pd.DataFrame:
    """A group of 1-D columns as a DataFrame, in the group's order, without `drop`."""
    drop = set(drop)
    data = {}
    for name, item in group.items():
        if name in drop or not isinstance(item, h5py.Dataset) or item.ndim != 1:
            continue
        data[name] = _column(item)
    return pd.DataFrame(data)


_PACKED = ("values", "column", "units", "long_name")


def _packed_table(group, drop: Iterable[str] = ()) -> tuple[pd.DataFrame, dict]:
    """A packed table (a sweep's batch: text columns, and every numeric column in one 2-D
    `values` named by `column`) as a DataFrame without `drop`, and the numeric columns' units."""
    drop = set(drop)
    data = {name: _column(item) for name, item in group.items()
            if name not in _PACKED and name not in drop and isinstance(item, h5py.Dataset)}
    names = list(group["column"].asstr()[()])
    values = group["values"][()]
    rows = {len(v) for v in data.values()}
    if values.ndim != 2 or values.shape[1] != len(names) or len(rows | {values.shape[0]}) > 1:
        raise FormatError(f"{group.file.filename}: {group.name} is damaged: columns of "
                          f"{sorted(rows)} rows, values of shape {values.shape} for "
                          f"{len(names)} names")
    for j, name in enumerate(names):
        if name not in drop:
            data[name] = values[:, j]
    units = dict(zip(names, group["units"].asstr()[()]))
    return pd.DataFrame(data), units


# --- single runs -------------------------------------------------------------------------------

@dataclass
class Network:
    """The simulated network: nodes (places, cells, relays, vessels), ties, when nodes
    stopped or resumed operating, the loads seized and the flows on routes per sample interval
    (docs/output-format.md, `/network`; `seizures` and `flows` are empty for older files)."""
    nodes: pd.DataFrame
    ties: pd.DataFrame
    changes: pd.DataFrame
    seizures: pd.DataFrame
    flows: pd.DataFrame

    def active_at(self, time: float, *, before: bool = False) -> pd.Series:
        """Which nodes operate at `time` (including changes at `time`, or, with
        before=True, only those strictly earlier): a boolean Series indexed like `nodes`."""
        active = self.nodes["active_at_start"].to_numpy() > 0.5
        c = self.changes
        mask = (c["time"] < time) if before else (c["time"] <= time)
        for node, state in zip(c.loc[mask, "node"].astype(int), c.loc[mask, "active"]):
            active[node] = state > 0.5
        return pd.Series(active, index=self.nodes.index, name="active")


@dataclass
class Run:
    """One run: `timeseries` (xarray, dimension time), `summary` (end-of-run values),
    `interventions` (the log, one row per intervention that fired), `network`, `attrs`.
    `path` is the file it was read from; None for a run made in memory (`interdict.run`)."""
    path: Optional[pathlib.Path]
    attrs: dict
    timeseries: xr.Dataset
    summary: pd.Series
    interventions: pd.DataFrame
    network: Optional[Network]

    @property
    def name(self) -> str:
        return self.attrs.get("scenario_name", self.path.stem if self.path else "run")

    def to_xarray(self) -> dict:
        """The run's groups as xarray Datasets, keyed as the file's groups: "timeseries",
        "summary" (scalars), "interventions" (dimension intervention) and, with a network,
        "network/nodes", "network/ties", "network/changes", "network/seizures", "network/flows"
        (dimensions node, tie, change, seizure, flow): the values `xr.open_dataset(path,
        group=...)` gives for each (without the columns' units), for a run in memory too."""
        def table(frame: pd.DataFrame, dim: str) -> xr.Dataset:
            frame = frame.copy()
            frame.index = pd.RangeIndex(len(frame), name=dim)
            return frame.to_xarray()

        out = {"timeseries": self.timeseries,
               "summary": xr.Dataset({k: ((), v) for k, v in self.summary.items()}),
               "interventions": table(self.interventions, "intervention")}
        if self.network is not None:
            for name, dim in (("nodes", "node"), ("ties", "tie"), ("changes", "change"),
                              ("seizures", "seizure"), ("flows", "flow")):
                out[f"network/{name}"] = table(getattr(self.network, name), dim)
        return out

    @property
    def label(self) -> str:
        """The file, or for a run made in memory its scenario, seed and replicate: for
        messages."""
        if self.path is not None:
            return str(self.path)
        return (f"{self.attrs.get('scenario_path', 'scenario')} (seed {self.attrs.get('seed')}, "
                f"replicate {self.attrs.get('replicate')}, in memory)")


_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
RunSource = Union[str, pathlib.Path, bytes, bytearray, memoryview, Run]


def _open_image(image: bytes) -> h5py.File:
    """An interdict result held in memory (the bytes of a result file) opened read-only."""
    if bytes(image[:8]) != _HDF5_SIGNATURE:
        raise FormatError("<memory>: not an HDF5 file image, so not an interdict result")
    return _checked(h5py.File(io.BytesIO(image), "r"), "<memory>", [RUN_FORMAT])


_HIDDEN_ATTRS = {"DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME", "_Netcdf4Dimid",
                 "_Netcdf4Coordinates"}


def _timeseries(group) -> xr.Dataset:
    """/timeseries as the Dataset `xr.open_dataset(path, group="timeseries",
    engine="h5netcdf")` gives (tested equal), read with h5py: h5netcdf sizes every variable's
    dimensions through the dimension scales again, seconds for a run's hundred series."""
    def attrs(dataset):
        return {k: _attr(dataset, k) for k in dataset.attrs if k not in _HIDDEN_ATTRS}

    time = group["time"]
    data = {name: xr.Variable(("time",), item[()], attrs(item))
            for name, item in group.items() if name != "time" and isinstance(item, h5py.Dataset)}
    return xr.Dataset(data, coords={"time": xr.Variable(("time",), time[()], attrs(time))},
                      attrs=attrs(group))


def open_run(source: RunSource) -> Run:
    """Opens a single run: a result file written by `interdict run`, or the same bytes in
    memory (what the `interdict` Python module's run() hands over). A Run is returned as is,
    so functions that take a file also take a run already opened or made in memory."""
    if isinstance(source, Run):
        return source
    if isinstance(source, (bytes, bytearray, memoryview)):
        path, opened = None, _open_image(bytes(source))
    else:
        path = pathlib.Path(source)
        opened = _open_checked(path, expected=[RUN_FORMAT])
    with opened as f:
        attrs = {k: _attr(f, k) for k in f.attrs}
        summary = pd.Series({k: float(v[()]) for k, v in f["summary"].items()}, dtype=float,
                            name="summary")
        interventions = _table(f["interventions"], drop=["intervention"])
        network = None
        if "network" in f:
            g = f["network"]

            def logged(name, dimension, columns):  # absent from files written before it
                return (_table(g[name], drop=[dimension]) if name in g
                        else pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns}))
            network = Network(nodes=_table(g["nodes"], drop=["node"]),
                              ties=_table(g["ties"], drop=["tie"]),
                              changes=_table(g["changes"], drop=["change"]),
                              seizures=logged("seizures", "seizure", [
                                  ("time", float), ("tie", int), ("node", int), ("kg", float),
                                  ("kind", object), ("by", object)]),
                              flows=logged("flows", "flow", [("time", float), ("tie", int),
                                                             ("kg", float), ("loads", float)]))
            for table, columns in ((network.ties, ("source", "target")),
                                   (network.changes, ("node",)),
                                   (network.seizures, ("tie", "node")),
                                   (network.flows, ("tie",))):
                for column in columns:
                    table[column] = table[column].astype(int)
        timeseries = _timeseries(f["timeseries"])
    timeseries.attrs.update({k: v for k, v in attrs.items() if k != "scenario_toml"})
    return Run(path, attrs, timeseries, summary, interventions, network)


# --- studies -----------------------------------------------------------------------------------

@dataclass
class Study:
    """A study's results, from a sweep directory (any number of batch files, from any number
    of shards or ranks), a merged file, or several of these.

    - `runs`: one row per finished or failed run, indexed by run key, in plan order; columns
      variant, each varied parameter, replicate, seed, status, error and every summary metric.
    - `timeseries`: xarray Dataset with dimensions (run, time); `variant`, `replicate`,
      `status` and each parameter are coordinates along `run`.
    - `interventions`: every run's intervention log, with run_key and variant.
    - `parameters`: the varied key paths; `missing`: planned runs with no result yet.
    """
    paths: list
    attrs: dict
    runs: pd.DataFrame
    timeseries: xr.Dataset
    interventions: pd.DataFrame
    parameters: list
    missing: list = field(default_factory=list)
    units: dict = field(default_factory=dict)  # units of the runs table's columns

    @property
    def name(self) -> str:
        return self.attrs.get("study_name", "")

    @property
    def variants(self) -> list:
        return list(dict.fromkeys(self.runs["variant"]))

    def to_dataframe(self, series: Union[None, bool, str, Sequence[str]] = None, *,
                     dropna: bool = True) -> pd.DataFrame:
        """The study in long (tidy) format, as Mesa's batch_run and DataCollector give it.

        Without `series`: one row per run, with columns run_key, variant, replicate, each
        varied parameter, seed, status, error, and every summary metric (the runs table with
        its key as a column). With `series` (a name, a list of names, or True for every time
        series): one row per run and time, with columns run_key, variant, replicate, each
        varied parameter, time and the named series. `dropna`: leave out the rows after the
        end of runs shorter than the longest (every named series NaN).
        """
        labels = ["variant", "replicate"] + [p for p in self.parameters if p in self.runs]
        if series is None or series is False:
            first = labels + [c for c in _DESIGN_COLUMNS + _FIXED_RUN_COLUMNS if c in self.runs]
            first = list(dict.fromkeys(first))
            table = self.runs[first + [c for c in self.runs.columns if c not in first]]
            return table.reset_index()
        if series is True:
            names = list(self.timeseries.data_vars)
        else:
            names = [series] if isinstance(series, str) else list(series)
        unknown = [n for n in names if n not in self.timeseries.data_vars]
        if unknown:
            raise KeyError(f"no time series {', '.join(map(repr, unknown))} in this study; it "
                           f"records {', '.join(self.timeseries.data_vars)}")
        ts = self.timeseries[names].reset_coords(drop=True)
        long = ts.to_dataframe().reset_index().rename(columns={"run": "run_key"})
        long = long.join(self.runs[labels], on="run_key")
        long = long[["run_key", *labels, "time", *names]]
        if dropna and names:
            long = long.dropna(subset=names, how="all").reset_index(drop=True)
        return long


_FIXED_RUN_COLUMNS = ["variant", "replicate", "seed", "status", "error"]
_DESIGN_COLUMNS = ["design_point", "design_block", "design_role", "design_factor"]
_BATCH_NAME = re.compile(r"^runs-[0-9a-f]+-([0-9a-f]{16})\.h5$")


def _check_batch(path: pathlib.Path) -> None:
    """A sweep batch named runs-<key>-<digest>.h5 must still have the bytes its digest names:
    libhdf5 may crash or hang on a damaged file, so this is checked before h5py opens it."""
    match = _BATCH_NAME.match(path.name)
    if not match:
        return  # written by an older interdict: nothing to check against
    digest = xxhash.xxh3_64()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != match.group(1):
        raise FormatError(f"{path}: damaged (its bytes do not match the digest in its name); "
                          "`interdict sweep STUDY -o DIR --resume` sets it aside and runs its "
                          "runs again")


_INTEGER_COLUMNS = ["replicate", "design_point", "design_block", "design_factor"]


def _integers_as_integers(runs: pd.DataFrame) -> pd.DataFrame:
    """Replicate and design numbers as int64: batches store them among their float64 values,
    merged files before format version 4 as float64."""
    for column in _INTEGER_COLUMNS:
        if column in runs and len(runs) and runs[column].notna().all():
            runs[column] = runs[column].astype(np.int64)
    return runs


def _study_files(paths: Sequence[pathlib.Path]) -> tuple[list, Optional[pathlib.Path]]:
    """Result files and the manifest to read for the given directories and files."""
    files, manifest = [], None
    for p in paths:
        if p.is_dir():
            batches = sorted(p.glob("runs-*.h5"))
            for batch in batches:
                _check_batch(batch)
            if batches:
                files += batches
            elif (p / "merged.h5").exists():
                files.append(p / "merged.h5")
            if manifest is None and (p / "manifest.h5").exists():
                manifest = p / "manifest.h5"
            if not batches and not (p / "merged.h5").exists() and not (p / "manifest.h5").exists():
                raise FormatError(f"{p}: not a study directory (no manifest.h5, runs-*.h5 "
                                  "or merged.h5)")
        elif p.name == "manifest.h5":
            manifest = p
        else:
            files.append(p)
    return files, manifest


def _series_names(path: pathlib.Path) -> list:
    """The time series a study file records, in order."""
    with _open_checked(path, expected=[STUDY_FORMAT]) as f:
        ts = f["timeseries"]
        if _attr(f, "layout") == "packed":
            return list(ts["metric"].asstr()[()])
        return [name for name, item in ts.items()
                if isinstance(item, h5py.Dataset) and item.ndim == 2]


def _read_study_file(path: pathlib.Path, series: Optional[Sequence[str]] = None):
    """(attrs, runs DataFrame, timeseries Dataset, interventions DataFrame) of one file; only
    the named time series if `series` is given (the file may lack some: they are skipped)."""
    with _open_checked(path, expected=[STUDY_FORMAT]) as f:
        attrs = {k: _attr(f, k) for k in f.attrs}
        packed = attrs.get("layout") == "packed"
        if packed:
            runs, units = _packed_table(f["runs"])
        else:
            runs = _table(f["runs"], drop=["run"])
            units = {k: _attr(v, "units", "") for k, v in f["runs"].items()}
        runs.attrs["units"] = units
        ts = f["timeseries"]
        time = ts["time"][()] if "time" in ts else np.zeros(0)
        keys = runs["run_key"].to_numpy() if "run_key" in runs else np.zeros(0, dtype=object)
        data = {}
        wanted = (lambda name: True) if series is None else (lambda name: name in series)
        if packed:
            for j, (name, unit, long_name) in enumerate(zip(ts["metric"].asstr()[()],
                                                            ts["units"].asstr()[()],
                                                            ts["long_name"].asstr()[()])):
                if wanted(name):  # one metric's slab: the others are not read
                    data[name] = xr.Variable(("run", "time"), ts["values"][j],
                                             {"units": unit, "long_name": long_name})
        else:
            for name, item in ts.items():
                if (name in ("run", "time") or not isinstance(item, h5py.Dataset) or item.ndim != 2
                        or not wanted(name)):
                    continue
                data[name] = xr.Variable(("run", "time"), item[()],
                                         {"units": _attr(item, "units", ""),
                                          "long_name": _attr(item, "long_name", "")})
        series = xr.Dataset(data, coords={"run": keys, "time": time})
        if "interventions" not in f:
            log = pd.DataFrame()
        elif packed:
            log = _packed_table(f["interventions"], drop=["run"])[0]
        else:
            log = _table(f["interventions"], drop=["intervention", "run"])
    return attrs, runs, series, log


def open_study(*paths: PathLike, series: Optional[Sequence[str]] = None) -> Study:
    """Opens a study: a sweep's output directory (batch files from every worker, shard and
    rank, with or without a merge), a merged file, or several directories or files of the
    same study (for example one per SLURM array task), as one.

    Runs computed twice (a failed run re-run by --resume) count once, preferring a success.
    `series`: load only these time series (a large study's others stay on disk); a name that
    no file records is an error.
    """
    if not paths:
        raise TypeError("open_study needs a directory or file")
    paths = [pathlib.Path(p) for p in paths]
    for p in paths:
        if not p.exists():
            raise FileNotFoundError(f"{p}: no such file or directory")
    files, manifest = _study_files(paths)
    attrs, plan = {}, None
    if manifest is not None:
        m_attrs, plan, _, _ = _read_study_file(manifest)
        attrs.update(m_attrs)
    if isinstance(series, str):
        series = [series]
    run_tables, datasets, logs, units = [], [], [], {}
    for path in files:
        f_attrs, runs, ts, log = _read_study_file(path, series)
        if attrs and f_attrs.get("study_name") != attrs.get("study_name"):
            raise FormatError(f"{path}: belongs to study {f_attrs.get('study_name')!r}, not "
                              f"{attrs.get('study_name')!r}")
        attrs = attrs or f_attrs
        units.update({k: v for k, v in runs.attrs["units"].items() if v})
        runs["_order"] = len(run_tables)  # later files win among equals
        run_tables.append(runs)
        datasets.append(ts)
        logs.append(log)
    if series is not None and files:
        found = set().union(*(d.data_vars for d in datasets))
        unknown = [name for name in series if name not in found]
        if unknown:
            raise KeyError(f"no time series {', '.join(map(repr, unknown))} in this study; it "
                           f"records {', '.join(_series_names(files[0]))}")
    parameters = [p for p in str(attrs.get("parameters", "")).split("\n") if p]
    if not run_tables:
        columns = ["run_key"] + _FIXED_RUN_COLUMNS[:1] + parameters + _FIXED_RUN_COLUMNS[1:]
        runs = pd.DataFrame(columns=columns).set_index("run_key")
        return Study(paths, attrs, runs, xr.Dataset(coords={"run": [], "time": []}),
                     pd.DataFrame(), parameters,
                     list(plan["run_key"]) if plan is not None else [])

    # One row per run key: a success over a failure, else the latest file.
    all_runs = pd.concat(run_tables, ignore_index=True)
    all_runs["_ok"] = all_runs["status"] == "ok"
    all_runs = all_runs.sort_values(["_ok", "_order"], kind="stable")
    chosen = all_runs.drop_duplicates("run_key", keep="last")
    if plan is not None:
        order = {k: i for i, k in enumerate(plan["run_key"])}
        chosen = chosen.assign(_plan=chosen["run_key"].map(order).fillna(len(order)))
        chosen = chosen.sort_values(["_plan"], kind="stable").drop(columns="_plan")
        missing = [k for k in plan["run_key"] if k not in set(chosen["run_key"])]
    else:
        chosen = chosen.sort_index(kind="stable")
        missing = []
    runs = _integers_as_integers(chosen.drop(columns=["_ok", "_order"]).set_index("run_key"))
    runs.index.name = "run_key"

    # Time series of the chosen runs, on the union of the time axes.
    pieces = []
    for i, ts in enumerate(datasets):
        picked = chosen.loc[chosen["_order"] == i, "run_key"]
        if len(picked) and ts.sizes.get("run", 0):
            pieces.append(ts.sel(run=list(picked)))
    if pieces:
        timeseries = xr.concat(pieces, dim="run", join="outer", data_vars="all",
                               coords="minimal", compat="override",
                               combine_attrs="override", fill_value=np.nan)
        timeseries = timeseries.reindex(run=list(runs.index))
    else:
        timeseries = xr.Dataset(coords={"run": list(runs.index), "time": []})
    coords = {"variant": ("run", runs["variant"].to_numpy()),
              "replicate": ("run", runs["replicate"].to_numpy()),
              "status": ("run", runs["status"].to_numpy())}
    for p in parameters:
        if p in runs:
            coords[p] = ("run", runs[p].to_numpy())
    timeseries = timeseries.assign_coords(coords)
    timeseries["time"].attrs["units"] = "simulation days"
    timeseries.attrs.update({k: v for k, v in attrs.items() if k != "study_toml"})

    log = pd.concat([l for l in logs if len(l)], ignore_index=True) if any(len(l) for l in logs) \
        else pd.DataFrame(columns=["run_key", "time", "id", "action", "targets", "arrests", "cost"])
    # Keep only the logs of the chosen copy of each run.
    if len(log):
        chosen_file = dict(zip(chosen["run_key"], chosen["_order"]))
        file_of_row = np.concatenate([[i] * len(l) for i, l in enumerate(logs) if len(l)])
        log = log[[chosen_file.get(k) == i for k, i in zip(log["run_key"], file_of_row)]]
        log = log.reset_index(drop=True)
    log.insert(1, "variant", log["run_key"].map(runs["variant"]) if len(log) else [])
    return Study(paths, attrs, runs, timeseries, log, parameters, missing, units)


def open_plan(path: PathLike) -> Study:
    """The runs a study plans, without results: a sweep directory's manifest.h5 (or the
    directory), or a file written by `interdict plan STUDY --write FILE`. `runs` holds every
    planned run (status "planned") with its parameters and, in a sensitivity design, its place
    in it (design_point, design_block, design_role, design_factor); there are no time series."""
    path = pathlib.Path(path)
    if path.is_dir():
        path = path / "manifest.h5"
    attrs, runs, _, _ = _read_study_file(path)
    runs = _integers_as_integers(runs.set_index("run_key"))
    parameters = [p for p in str(attrs.get("parameters", "")).split("\n") if p]
    return Study([path], attrs, runs, xr.Dataset(coords={"run": list(runs.index), "time": []}),
                 pd.DataFrame(), parameters)


def open_result(path: Union[PathLike, Run, Study, bytes]) -> Union[Run, Study]:
    """Opens whatever `path` is: a study directory or file, or a single run (also in memory:
    a Run or Study is returned as is, a result file's bytes are opened as a run)."""
    if isinstance(path, (Run, Study)):
        return path
    if isinstance(path, (bytes, bytearray, memoryview)):
        return open_run(path)
    path = pathlib.Path(path)
    if path.is_dir():
        return open_study(path)
    with _open_checked(path) as f:
        fmt = _attr(f, "format")
    return open_run(path) if fmt == RUN_FORMAT else open_study(path)
