#!/usr/bin/env python3
"""Writes a self-contained HTML page (no network needed) for an interdict result:

    /usr/bin/python3 analysis/view.py results/veracruz.h5 -o veracruz.html
    /usr/bin/python3 analysis/view.py results/strategies -o strategies.html

Same as `python3 -m interdict_analysis.view` with analysis/ on PYTHONPATH.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from interdict_analysis.view import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
