"""heliosql benchmark: the issue's workload on heliosql and on plain DuckDB, side by side.

Run it with ``python -m bench.run`` (or ``make bench``); see ``bench.run`` for options.
"""
