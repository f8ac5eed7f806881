#!/usr/bin/python3
"""Sweep throughput: runs per second of `interdict sweep` with 1 and 2 workers and mpirun -n 2.

mpirun -n 2 runs twice: with adaptive chunks (the default) and with `--chunk 1`, one run per
request to rank 0, as before chunks; their difference per run is the dispatch's cost. The
launcher's own start-up (`mpirun -n 2 interdict --version`) is measured apart.

Usage: bench/sweep_throughput.py [--repeat N] [--replicates R] [--study bench/throughput-study.toml]
Prints, per configuration, the median over N sweeps (each into a fresh directory) of the whole
command's wall time, runs per second, and the shares of the workers' time spent publishing HDF5
batches and appending to the journals (as `interdict sweep` reports them; with mpirun, rank 0's).
"""
import argparse
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def sweep(command, out):
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    start = time.perf_counter()
    proc = subprocess.run([*command, "-o", str(out)], capture_output=True, text=True, env=env, check=True)
    seconds = time.perf_counter() - start
    runs = int(re.search(r"(\d+) runs done", proc.stdout).group(1))
    shares = re.search(r"\(([\d.]+)% publishing HDF5 batches, ([\d.]+)% journalling\)", proc.stdout)
    return seconds, runs, float(shares.group(1)), float(shares.group(2))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--study", default=str(ROOT / "bench" / "throughput-study.toml"))
    parser.add_argument("--replicates", type=int,
                        help="replicates per variant instead of the study's (a longer sweep)")
    parser.add_argument("--binary", default=str(ROOT / "build" / "sim" / "cli" / "interdict"))
    args = parser.parse_args()
    if args.replicates:  # a copy of the study, its scenario path made absolute
        study = pathlib.Path(args.study).resolve()
        text = re.sub(r"(?m)^replicates\s*=.*$", f"replicates = {args.replicates}", study.read_text())
        text = re.sub(r'(?m)^scenario\s*=\s*"([^"]+)"',
                      lambda m: f'scenario = "{(study.parent / m.group(1)).resolve()}"', text)
        copy = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
        copy.write(text)
        copy.close()
        args.study = copy.name
    configurations = {
        "1 worker": [args.binary, "sweep", args.study, "--workers", "1"],
        "2 workers": [args.binary, "sweep", args.study, "--workers", "2"],
        "mpirun -n 2": ["mpirun", "-n", "2", args.binary, "sweep", args.study],
        "mpirun -n 2 --chunk 1": ["mpirun", "-n", "2", args.binary, "sweep", args.study,
                                  "--chunk", "1"],
    }
    # The configurations take turns, and each sweep's output is deleted once measured, so that
    # all of them meet the same machine state: on this VM, the kernel writing back earlier
    # output (a build's, or previous sweeps') slowed whichever configuration ran first by 5-8%.
    os.sync()
    results = {name: [] for name in configurations}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            for name, command in configurations.items():
                out = pathlib.Path(tmp) / f"{name}-{i}".replace(" ", "_")
                results[name].append(sweep(command, out))
                shutil.rmtree(out)
    rates = {}
    for name, measured in results.items():
        seconds = statistics.median(r[0] for r in measured)
        runs = measured[0][1]
        rates[name] = runs / seconds
        print(f"{name:12s} runs={runs} seconds={seconds:.3f} runs_per_second={runs / seconds:.0f} "
              f"hdf5_share={statistics.median(r[2] for r in measured):.1f}% "
              f"journal_share={statistics.median(r[3] for r in measured):.1f}% "
              f"(median of {args.repeat})")
    print(f"speed-up 1 -> 2 workers: {rates['2 workers'] / rates['1 worker']:.2f}x; "
          f"1 worker -> mpirun -n 2: {rates['mpirun -n 2'] / rates['1 worker']:.2f}x "
          f"(--chunk 1: {rates['mpirun -n 2 --chunk 1'] / rates['1 worker']:.2f}x)")
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    startups = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        subprocess.run(["mpirun", "-n", "2", args.binary, "--version"], capture_output=True,
                       env=env, check=True)
        startups.append(time.perf_counter() - start)
    print(f"mpirun -n 2 start-up (interdict --version): {statistics.median(startups):.3f} s")
    if args.replicates:
        os.unlink(args.study)


if __name__ == "__main__":
    main()
