"""Figures as a contact-center lead reads them: rates in %, durations as m:ss, counts whole."""

from __future__ import annotations

import math


def format_duration(seconds: float) -> str:
    """Seconds as m:ss (h:mm:ss from an hour on), rounded to the nearest second."""
    total = int(round(seconds))
    sign = "-" if total < 0 else ""
    total = abs(total)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"


def format_figure(value: float | None, unit: str) -> str:
    """One figure by the catalogue's unit (count, rate, seconds, score); "–" when undefined."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "rate":
        return f"{100 * value:.1f} %"
    if unit == "seconds":
        return format_duration(value)
    if unit == "count":
        return f"{int(round(value)):,}"
    return f"{value:,.1f}"
