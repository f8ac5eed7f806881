"""Run interdict scenarios and studies from Python, and get their results as xarray objects.

    import interdict
    run = interdict.run("scenarios/veracruz.toml", set={"simulation.duration": 365}, seed=7)
    run.timeseries["delivered_kg"].plot()      # an interdict_analysis.Run, made in memory

    s = interdict.load_scenario("scenarios/veracruz.toml")
    s["patrols[0].intensity"]                  # the value the run uses (the key's default if unset)
    s["patrols[0].intensity"] = 0.4            # checked against the key table at once
    interdict.run(s, seed=7)

    interdict.keys()                           # every key: type, unit, default, range, meaning
    study = interdict.sweep("scenarios/studies/strategies.toml")    # progress bar; a Study
    study = interdict.study("scenarios/veracruz.toml", replicates=10,
                            grid={"patrols[0].intensity": [0.1, 0.2, 0.4]})

Runs and sweeps are the CLI's own code (the `_interdict` extension, built from sim/ with
pybind11), so results equal `interdict run` / `interdict sweep` bit for bit. C++ runs with the GIL
released; Ctrl-C stops a run or a sweep (a sweep keeps what finished, and `resume=True` goes on).
Bad input raises InputError, with the file, line, column and key of the mistake. See
docs/python.md.
"""
from __future__ import annotations

import copy as _copy
import math
import os
import pathlib
import re
import tempfile
import tomllib
from typing import Any, Iterable, Mapping, Optional, Union

try:
    import _interdict
except ImportError as error:  # pragma: no cover - a checkout that was not built
    raise ImportError(
        "interdict's C++ extension _interdict is not built or not on the path: run ./run.sh (it "
        "builds it into build/python and puts it on /usr/bin/python3's path), or add build/python "
        f"to PYTHONPATH ({error})") from error

import interdict_analysis as _analysis
from interdict_analysis import Run, Study

__all__ = ["run", "load_scenario", "Scenario", "keys", "sweep", "study", "InputError",
           "FormatError", "toml_value", "__version__"]
__version__ = _interdict.__version__

InputError = _interdict.InputError
InputError.__doc__ = ("A mistake in a scenario, study or key: `file`, `line`, `column`, `key` and "
                      "`message` say where and what (line and column 0 when unknown).")
FormatError = _interdict.FormatError

PathLike = Union[str, os.PathLike]


# --- TOML values ---------------------------------------------------------------------------------

def toml_value(value: Any) -> str:
    """A Python value as the TOML text a scenario key takes: numbers, strings, booleans, lists
    and dicts (inline tables); numpy scalars and arrays too."""
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        value = value.tolist()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not -2**63 <= value < 2**63:
            raise ValueError(f"{value} does not fit TOML's 64-bit integers")
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)  # the shortest text that reads back as the same double
    if isinstance(value, str):
        escaped = []
        for c in value:
            if c in '"\\':
                escaped.append("\\" + c)
            elif ord(c) < 0x20 or ord(c) == 0x7F:
                escaped.append(f"\\u{ord(c):04x}")
            else:
                escaped.append(c)
        return '"' + "".join(escaped) + '"'
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{toml_value(str(k))} = {toml_value(v)}"
                                for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"{value!r} ({type(value).__name__}) has no TOML form: use a number, string, "
                    "boolean, list or dict")


def _assignments(values: Optional[Mapping[str, Any]]) -> list:
    return [f"{key}={toml_value(value)}" for key, value in (values or {}).items()]


# --- the key table -------------------------------------------------------------------------------

def keys(kind: str = "scenario"):
    """The key table as a pandas DataFrame indexed by key: type, unit, default (TOML text),
    required, range, min, max, choices and description. `kind`: "scenario" or "study"."""
    import pandas as pd
    if kind not in ("scenario", "study"):
        raise ValueError(f"kind must be 'scenario' or 'study', not {kind!r}")
    return pd.DataFrame(_interdict.keys(kind)).set_index("key")


#: A key path as `--set` takes it: names, and list entries by number or by id
#: ("routes[2].exposure", "patrols[navy-tuxpan].intensity"); no "=", "#", quotes or spaces.
_KEY_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\[[A-Za-z0-9_.:-]+\])*"
                       r"(\.[A-Za-z_][A-Za-z0-9_]*(\[[A-Za-z0-9_.:-]+\])*)*")


def _checked_key(key: str) -> str:
    if not isinstance(key, str) or not _KEY_PATH.fullmatch(key):
        raise KeyError(f"{key!r}: not a key path (e.g. 'routes[2].exposure', "
                       "'patrols[navy-tuxpan].intensity')")
    return key


def _split_key(key: str) -> list:
    """"routes[3].travel_time.mean" -> ["routes", 3, "travel_time", "mean"]; an entry named by
    id stays a string in brackets: "patrols[navy].x" -> ["patrols", "[navy]", "x"]."""
    parts: list = []
    for segment in _checked_key(key).split("."):
        name, _, rest = segment.partition("[")
        parts.append(name)
        for index in filter(None, rest.replace("[", "").split("]")):
            parts.append(int(index) if index.isdigit() else f"[{index}]")
    return parts


def _with(settings: Mapping[str, str], key: str, text: str) -> dict:
    """`settings` (key path -> TOML text, in the order set) with `key` set to `text` last. The
    key set before, and any key inside it, go: a later --set wins anyway, and a study's `set` (a
    TOML table, applied in sorted order) then applies what the Scenario shows."""
    _checked_key(key)
    inside = (key + ".", key + "[")
    out = {k: v for k, v in settings.items() if k != key and not k.startswith(inside)}
    out[key] = text
    return out


def _flatten(value: Any, prefix: str, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(v, f"{prefix}.{k}" if prefix else k, out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for i, v in enumerate(value):
            _flatten(v, f"{prefix}[{i}]", out)
    else:
        out[prefix] = value


# --- scenarios -----------------------------------------------------------------------------------

class Scenario:
    """A scenario file and the keys changed on top of it (what `--set KEY=VALUE` does on the
    command line). Reading a key gives the value a run uses, the key table's default when the
    file leaves it out; setting one checks it against the key table at once (type, range,
    choices) and raises InputError naming the key; `validate()` checks the whole model as
    `interdict validate` does. The file itself is never changed."""

    def __init__(self, path: PathLike, set: Optional[Mapping[str, Any]] = None):
        self.path = os.fspath(path)
        self._overrides: dict = {}
        self._document = tomllib.loads(_interdict.resolved_document(self.path))
        if set:
            self.update(set)

    # the keys
    @property
    def overrides(self) -> dict:
        """The keys set on top of the file, in the order set."""
        return dict(self._overrides)

    @property
    def assignments(self) -> list:
        """The overrides as `--set` takes them: ["KEY=VALUE", ...]."""
        return [f"{k}={v}" for k, v in self._overrides.items()]

    @property
    def document(self) -> dict:
        """The scenario as run: the file merged with its bases, with the overrides applied (a
        copy: change keys by setting them)."""
        return _copy.deepcopy(self._document)

    def __getitem__(self, key: str) -> Any:
        node: Any = self._document
        for part in _split_key(key):
            if isinstance(part, int) or part.startswith("["):
                entries = node if isinstance(node, list) else []
                found = ([e for e in entries if isinstance(e, dict) and e.get("id") == part[1:-1]]
                         if isinstance(part, str) else entries[part:part + 1])
                if not found:
                    raise KeyError(f"{self.path}: {key}: no such entry")
                node = found[0]
            elif isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, dict):
                return self._default(key)  # left out: the key table's default
            else:
                raise KeyError(f"{self.path}: {key}: {part} is not a table here")
        return _copy.deepcopy(node)

    def _default(self, key: str) -> Any:
        spec = self.info(key)
        if not spec["default"]:
            raise KeyError(f"{self.path}: {key} is not set and has no default")
        return tomllib.loads("value = " + spec["default"])["value"]

    def __setitem__(self, key: str, value: Any) -> None:
        self.update({key: value})

    def update(self, values: Mapping[str, Any]) -> None:
        """Sets several keys at once (checked together: either all are set or none)."""
        trial = self._overrides
        for key, value in values.items():
            trial = _with(trial, key, toml_value(value))
        self._apply(trial)

    def __delitem__(self, key: str) -> None:
        """Goes back to the file's value of `key`."""
        if key not in self._overrides:
            raise KeyError(f"{key} was not set on top of {self.path}")
        self._apply({k: v for k, v in self._overrides.items() if k != key})

    def _apply(self, overrides: dict) -> None:
        """Takes `overrides` once the file with them passes the key table's checks."""
        document = _interdict.resolved_document(self.path,
                                                [f"{k}={v}" for k, v in overrides.items()])
        self._overrides, self._document = overrides, tomllib.loads(document)

    def __contains__(self, key: str) -> bool:
        try:
            self[key]
            return True
        except KeyError:
            return False

    def keys(self) -> list:
        """The key paths the scenario gives a value (arrays of tables by element:
        "routes[0].from", ...)."""
        out: dict = {}
        _flatten(self._document, "", out)
        return list(out)

    @staticmethod
    def info(key: str) -> dict:
        """The key table's row for `key` (any element index): type, unit, default, range, ..."""
        return _interdict.key_info(key)

    # checking and running
    def validate(self) -> dict:
        """Checks the whole scenario as `interdict validate` does (ids, references, run
        limits); returns its counts of places, routes, sources, markets and patrols."""
        return _interdict.validate(self.path, self.assignments)

    def run(self, **options) -> Run:
        """interdict.run(self, **options)."""
        return run(self, **options)

    def copy(self) -> "Scenario":
        other = Scenario.__new__(Scenario)
        other.path, other._overrides = self.path, dict(self._overrides)
        other._document = _copy.deepcopy(self._document)
        return other

    def __repr__(self) -> str:
        changed = ", ".join(f"{k}={v}" for k, v in self._overrides.items())
        return f"<interdict.Scenario {self.path}{' with ' + changed if changed else ''}>"


def load_scenario(path: PathLike, set: Optional[Mapping[str, Any]] = None) -> Scenario:
    """Reads and checks a scenario file (raises InputError at the first mistake, as the CLI
    does); `set` changes keys on top of it."""
    return Scenario(path, set)


def _scenario_and_overrides(scenario: Union[PathLike, Scenario],
                            set: Optional[Mapping[str, Any]]) -> tuple:
    if isinstance(scenario, Scenario):
        return scenario.path, scenario.assignments + _assignments(set)
    return os.fspath(scenario), _assignments(set)


def run(scenario: Union[PathLike, Scenario], set: Optional[Mapping[str, Any]] = None, *,
        seed: Optional[int] = None, replicate: int = 0, output: Optional[PathLike] = None,
        threads: Optional[int] = None) -> Run:
    """Runs a scenario (a file, or a Scenario with keys changed) and returns its results in
    memory as an interdict_analysis.Run: `timeseries` (xarray), `summary`, `interventions`,
    `network`, `attrs` — what the result file holds, equal to `interdict run`'s bit for bit for
    the same scenario, keys, seed and replicate.

    `set`: keys changed for this run ({"simulation.duration": 365}); `seed`: the scenario's
    simulation.seed by default; `output`: also write the result file there (nothing is written
    otherwise); `threads`: threads sharing sampled network measures (all cores by default; the
    results do not depend on it). Ctrl-C stops the run (KeyboardInterrupt)."""
    path, overrides = _scenario_and_overrides(scenario, set)
    done = _interdict.run(path, overrides, seed=seed, replicate=replicate,
                          threads=threads or 0, output=os.fspath(output) if output else "")
    result = _analysis.open_run(done["image"])
    if output:
        result.path = pathlib.Path(output)
    return result


# --- studies -------------------------------------------------------------------------------------

class _Progress:
    """A tqdm bar (a notebook widget in Jupyter) fed by the sweep's progress calls."""

    def __init__(self, enabled: bool, label: str):
        self.enabled, self.label, self.bar = enabled, label, None

    def __call__(self, done: int, failed: int, total: int) -> None:
        if callable(self.enabled):  # the caller's own function
            self.enabled(done, failed, total)
            return
        if not self.enabled:
            return
        if self.bar is None:
            try:
                import tqdm as _tqdm  # Debian python3-tqdm; without it, no bar
            except ImportError:
                self.enabled = False
                return
            try:  # a widget in Jupyter needs ipywidgets; text updated in place otherwise
                import ipywidgets  # noqa: F401
                from tqdm.auto import tqdm
            except ImportError:
                tqdm = _tqdm.tqdm
            self.bar = tqdm(total=total, desc=self.label, unit="run")
        self.bar.n = done
        if failed:
            self.bar.set_postfix(failed=failed, refresh=False)
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def sweep(study_file: PathLike, directory: Optional[PathLike] = None, *,
          workers: Optional[int] = None, resume: bool = False, progress=True,
          batch_runs: int = 256) -> Study:
    """Runs every run of a study file on this machine's cores, as `interdict sweep` does, and
    returns what interdict_analysis.open_study returns for it. `directory`: where the sweep
    writes (kept; resume=True goes on after an interruption); without one, a temporary
    directory is used and removed once the results are read. `progress`: a tqdm bar (True),
    none (False), or a function called as progress(done, failed, total) as runs finish."""
    study_file = os.fspath(study_file)
    bar = _Progress(progress, pathlib.Path(study_file).stem)
    try:
        if directory is None:
            with tempfile.TemporaryDirectory(prefix="interdict-sweep-") as scratch:
                _interdict.sweep(study_file, scratch, workers=workers or 0, resume=False,
                                 batch_runs=batch_runs, progress=bar)
                result = _analysis.open_study(scratch)
                result.paths = []  # gone with the scratch directory
                return result
        _interdict.sweep(study_file, os.fspath(directory), workers=workers or 0, resume=resume,
                         batch_runs=batch_runs, progress=bar)
        return _analysis.open_study(directory)
    finally:
        bar.close()


def study(scenario: Union[PathLike, Scenario], *, grid: Optional[Mapping[str, Iterable]] = None,
          lockstep: Optional[Mapping[str, Iterable]] = None,
          variants: Optional[Mapping[str, Mapping[str, Any]]] = None,
          set: Optional[Mapping[str, Any]] = None, replicates: int = 1, seed: int = 1,
          random_numbers: str = "common", name: Optional[str] = None,
          directory: Optional[PathLike] = None, workers: Optional[int] = None,
          resume: bool = False, progress=True) -> Study:
    """A study written from Python: the scenario with `set` in every run, each of `variants`
    ({name: {key: value}}) and every combination of `grid` ({key: [values]}; `lockstep` varies
    lists together), `replicates` times with common random numbers by default. Runs it as
    sweep() does and returns the Study. The study file is what `interdict sweep` would read:
    with a `directory`, it is kept there as study.toml."""
    path = scenario.path if isinstance(scenario, Scenario) else os.fspath(scenario)
    settings = scenario.overrides if isinstance(scenario, Scenario) else {}
    for key, value in (set or {}).items():
        settings = _with(settings, key, toml_value(value))
    text = study_toml(os.path.abspath(path), settings,
                      grid=grid, lockstep=lockstep, variants=variants, replicates=replicates,
                      seed=seed, random_numbers=random_numbers,
                      name=name or pathlib.Path(path).stem)
    if directory is None:
        with tempfile.TemporaryDirectory(prefix="interdict-study-") as scratch:
            study_file = pathlib.Path(scratch) / "study.toml"
            study_file.write_text(text, encoding="utf-8")
            return sweep(study_file, None, workers=workers, progress=progress)
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    study_file = directory / "study.toml"
    before = study_file.read_text(encoding="utf-8") if study_file.exists() else None
    if before is not None and before != text and not resume:
        raise ValueError(f"{study_file}: holds another study than this call describes, with its "
                         f"results in {directory / 'runs'}: use another directory, or resume=True "
                         "to grow it (the sweep refuses a study that changed otherwise)")
    study_file.write_text(text, encoding="utf-8")
    try:
        return sweep(study_file, directory / "runs", workers=workers, resume=resume,
                     progress=progress)
    except InputError:
        if before is not None and before != text:  # refused: the file describes the runs again
            study_file.write_text(before, encoding="utf-8")
        raise


def study_toml(scenario: str, set: Mapping[str, str], *, grid=None, lockstep=None, variants=None,
               replicates: int = 1, seed: int = 1, random_numbers: str = "common",
               name: str = "study") -> str:
    """The study file study() runs (docs/scenario-reference.md, "Study files"); `set` maps key
    paths to TOML text, `variants` names to {key path: value}."""
    def table(texts: Mapping[str, str]) -> str:
        return "{ " + ", ".join(f"{toml_value(str(k))} = {v}" for k, v in texts.items()) + " }"

    lines = ["# Written by interdict.study() in Python.", "[study]",
             f"name = {toml_value(name)}", f"scenario = {toml_value(scenario)}",
             f"replicates = {int(replicates)}", f"seed = {int(seed)}",
             f"random_numbers = {toml_value(random_numbers)}"]
    if set:
        lines.append(f"set = {table(set)}")
    for title, values in (("grid", grid), ("lockstep", lockstep)):
        if values:
            lines += ["", f"[{title}]"]
            lines += [f"{toml_value(str(k))} = {toml_value(list(v))}" for k, v in values.items()]
    for variant, values in (variants or {}).items():
        lines += ["", "[[variants]]", f"name = {toml_value(str(variant))}"]
        if values:
            lines.append(f"set = {table({k: toml_value(v) for k, v in values.items()})}")
    return "\n".join(lines) + "\n"
