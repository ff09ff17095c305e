"""Printing the benchmark: one table row per step, then storage figures."""

from __future__ import annotations

from tabulate import tabulate

from .workload import STEPS, Run, Step

HEADERS = ("step", "heliosql s", "DuckDB s", "ratio", "heliosql rate", "DuckDB rate",
           "target", "met")


def _rate(step: Step, seconds: float, rows: int, keys: int) -> str:
    if step.per == "row":
        return f"{rows / seconds:,.0f} rows/s" if seconds else "-"
    if step.per == "key":
        return f"{seconds / keys * 1000:.3f} ms/key"
    return ""


def _target(step: Step, ratio: float, seconds: float, rows: int) -> tuple[str, str]:
    if step.min_rate is not None:
        rate = rows / seconds if seconds else float("inf")
        return f">= {step.min_rate:,.0f} rows/s", "yes" if rate >= step.min_rate else "NO"
    if step.max_ratio is None:
        return "", ""
    text = f"<= {step.max_ratio:g}x"
    if step.stretch is not None:
        text += f" (stretch {step.stretch:g}x)"
    if step.stretch is not None and ratio <= step.stretch:
        return text, "yes (stretch)"
    return text, "yes" if ratio <= step.max_ratio else "NO"


def table_rows(helios: Run, plain: Run, rows: int, keys: int) -> list[list[str]]:
    """The report rows, one per step of ``STEPS``."""
    out = []
    for step in STEPS:
        h, p = helios.seconds[step.name], plain.seconds[step.baseline]
        ratio = h / p if p else float("inf")
        target, met = _target(step, ratio, h, rows)
        out.append([step.name, f"{h:.4f}", f"{p:.4f}", f"{ratio:.2f}x",
                    _rate(step, h, rows, keys), _rate(step, p, rows, keys), target, met])
    return out


def render(helios: Run, plain: Run, rows: int, keys: int, header: str,
           storage: dict[str, str]) -> str:
    """The whole report as text."""
    table = tabulate(table_rows(helios, plain, rows, keys), headers=HEADERS,
                     colalign=("left", "right", "right", "right", "right", "right", "left",
                               "left"))
    facts = tabulate(list(storage.items()), headers=("storage", "value"),
                     colalign=("left", "right"))
    return f"{header}\n\n{table}\n\n{facts}\n"
