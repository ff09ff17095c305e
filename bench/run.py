"""``python -m bench.run [--rows N] [--keys K] [--path file|:memory:|DIR]``.

Runs the workload on heliosql and on plain DuckDB in the same process and
prints seconds, ratios and targets per step, plus history storage figures.
``--path file`` (the default) puts each database in its own temporary file, so
WAL and commit costs are real; ``:memory:`` keeps both in memory; any other
value is a directory to create ``heliosql.duckdb`` and ``plain.duckdb`` in.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import duckdb

from .report import render
from .workload import make_data, measure

SEED = 20261125


def _args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows to load (N)")
    parser.add_argument("--keys", type=int, default=1_000, help="keys for Q3/Q4")
    parser.add_argument("--index-history", action="store_true",
                        help="index the history table by key (faster key lookups, slower updates)")
    parser.add_argument("--path", default="file",
                        help="'file' (temporary files, default), ':memory:', or a directory")
    args = parser.parse_args(argv)
    if args.rows < 100 or args.keys < 1:
        parser.error("--rows must be at least 100 and --keys at least 1")
    return args


def _file_bytes(path: str) -> int:
    """Size of a DuckDB file plus its WAL, if any."""
    return sum(os.path.getsize(p) for p in (path, path + ".wal") if os.path.exists(p))


def _measure(args: argparse.Namespace, directory: str | None) -> str:
    """Build the data, run both workloads (files in ``directory``, or in memory), render."""
    data = make_data(args.rows)
    keys = random.Random(SEED).sample(range(args.rows), min(args.keys, args.rows))
    if directory is None:
        helios_path = plain_path = ":memory:"
    else:
        helios_path = str(Path(directory) / "heliosql.duckdb")
        plain_path = str(Path(directory) / "plain.duckdb")
    helios, plain = measure(helios_path, plain_path, data, keys, args.index_history)
    storage = {
        "history rows": f"{helios.history_rows:,}",
        "history approx_bytes (get_stats)": f"{helios.history_bytes:,}",
        "Q1 answers equal": "yes" if helios.q1 == plain.q1 else "NO",
    }
    if directory is not None:
        h, p = _file_bytes(helios_path), _file_bytes(plain_path)
        storage["history on disk (blocks x block size)"] = f"{helios.history_disk_bytes:,}"
        storage["heliosql file bytes"] = f"{h:,}"
        storage["plain DuckDB file bytes"] = f"{p:,}"
        storage["file ratio"] = f"{h / p:.2f}x" if p else "-"
    where = ":memory:" if directory is None else f"files in {directory}"
    variant = ", history indexed by key" if args.index_history else ""
    header = (f"heliosql benchmark: N={args.rows:,} rows, {len(keys):,} keys{variant}, {where}, "
              f"DuckDB {duckdb.__version__}, Python {sys.version.split()[0]}, "
              f"{os.cpu_count()} CPUs")
    return render(helios, plain, args.rows, len(keys), header, storage)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its table; returns the exit status."""
    args = _args(argv)
    if args.path == ":memory:":
        print(_measure(args, None))
    elif args.path == "file":
        with tempfile.TemporaryDirectory(prefix="heliosql-bench-") as tmp:
            print(_measure(args, tmp))
    else:
        target = Path(args.path)
        existing = [p for p in ("heliosql.duckdb", "plain.duckdb") if (target / p).exists()]
        if existing:
            print(f"error: {target} already holds {', '.join(existing)}", file=sys.stderr)
            return 2
        target.mkdir(parents=True, exist_ok=True)
        print(_measure(args, str(target)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
