"""The two ways of answering a version window agree: SQL (``relations.versions``)
for whole tables and Python (``relations.apply_window``) for a few keys."""

from __future__ import annotations

import random

from heliosql.storage import TemporalEngine, TemporalTable, relations
from heliosql.storage.relations import VersionWindow


def _random_history(engine: TemporalEngine, rng: random.Random) -> None:
    engine.create_temporal_table(TemporalTable("t", {"id": "INTEGER", "v": "INTEGER"},
                                               primary_key="id"))
    for _ in range(40):
        with engine.transaction():
            for _ in range(rng.randint(1, 4)):
                key = rng.randint(1, 6)
                op = rng.random()
                exists = engine.fetch("SELECT count(*) FROM main.t WHERE id = ?", [key])[0][0]
                if not exists:
                    engine.insert("t", {"id": key, "v": rng.randint(0, 99)})
                elif op < 0.6:
                    engine.update_where("t", {"v": "v + 1"}, "id = $k", {"k": key})
                else:
                    engine.delete("t", key)


def test_sql_and_python_windows_agree() -> None:
    rng = random.Random(7)
    engine = TemporalEngine(":memory:")
    _random_history(engine, rng)
    info = engine.table_info("t")
    top = engine.current_scn()
    for _ in range(200):
        lo, hi = sorted(rng.randint(1, top) for _ in range(2))
        window = rng.choice([
            VersionWindow(top, start_max=hi, end_min=lo, marker_min=lo, marker_max=hi),
            VersionWindow(rng.randint(lo, top), start_max=hi, end_min=lo),
            VersionWindow(top, start_min=lo, start_max=lo, marker_min=lo, marker_max=lo),
            VersionWindow(top, start_max=hi, end_min=hi, marker_min=top + 1),
            VersionWindow(top),
        ])
        keys = rng.sample(range(1, 7), rng.randint(1, 3))
        where, params = engine._keys_filter(info, keys)
        by_sql = engine._rows(info, relations.versions(info, window, where), params)
        by_python = engine._window_rows(info, window, keys)
        assert by_python == by_sql, window
