#!/usr/bin/env python3
"""Writes the standard plots and a Markdown summary of an interdict result:

    /usr/bin/python3 analysis/report.py RESULT_OR_DIR -o report/

Same as `python3 -m interdict_analysis.report` with analysis/ on PYTHONPATH.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from interdict_analysis.report import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
