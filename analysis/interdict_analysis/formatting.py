"""Numbers as a reader wants them: thousands separators, a few significant digits, never an
exponent for the magnitudes results have, and units without a dimensionless "[1]"."""
from __future__ import annotations

import math

from matplotlib.ticker import FuncFormatter, MaxNLocator


def format_number(x, significant: int | None = None) -> str:
    """`x` for a reader: 94,730 and 5.79 by default (whole numbers from 1,000 on, else three
    significant digits); with `significant=n`, rounded to n significant digits (94,700). No
    exponent, no trailing zeros; NaN and None as "–"."""
    if x is None or isinstance(x, str):
        return "–" if x is None else x
    try:
        x = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(x):
        return "–"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if x == 0:
        return "0"
    digits = 3 if significant is None else max(1, int(significant))
    magnitude = math.floor(math.log10(abs(x)))
    decimals = 0 if significant is None and magnitude >= 3 else digits - 1 - magnitude
    x = round(x, decimals)
    text = f"{x:,.{max(decimals, 0)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_interval(low, high, significant: int = 3) -> str:
    """A confidence interval as "-21,300 to -14,000" (three significant digits)."""
    return f"{format_number(low, significant)} to {format_number(high, significant)}"


def unit_suffix(units: str) -> str:
    """" [kg]" for a unit, "" for a dimensionless one ("1", "" or None), " [per day]" for a
    count per day ("1/d")."""
    if not units or units == "1":
        return ""
    if units == "1/d":
        return " [per day]"
    return f" [{units}]"


def _tick(value, _position=None) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 1e9:  # short enough for five ticks side by side: 1.85 bn, 350 mn
        return f"{value / 1e9:,.6g} bn"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.6g} mn"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.6g}"


TICKS = FuncFormatter(_tick)


def readable_axis(axis, nbins: int | str = "auto") -> None:
    """Tick labels of a numeric axis with thousands separators (millions as "mn", billions
    as "bn") and no offset or exponent."""
    axis.set_major_formatter(TICKS)
    axis.set_major_locator(MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]))
