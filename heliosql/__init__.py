"""heliosql: embedded time-travel SQL over DuckDB with Oracle-style flashback syntax."""

__version__ = "0.1.0"
