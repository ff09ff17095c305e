"""A short tour of the storage API on an in-memory database (``make run``)."""

from __future__ import annotations

from tabulate import tabulate

from heliosql.storage import (
    FlashbackQuery,
    Row,
    TemporalEngine,
    TemporalQuery,
    TemporalTable,
)


def _text(value: bytes | None) -> str:
    return "" if value is None else value.decode()


def main() -> int:
    with TemporalEngine(":memory:") as engine:
        engine.create_temporal_table(TemporalTable("orders"))
        engine.insert("orders", Row(b"order_123", {"customer": b"John Doe", "amount": b"100.00",
                                                    "status": b"pending"}))
        placed = engine.current_scn()
        print(f"Order placed at SCN {placed}.")
        engine.update("orders", b"order_123", Row(b"order_123", {
            "customer": b"John Doe", "amount": b"100.00", "status": b"shipped"}))
        engine.update("orders", b"order_123", Row(b"order_123", {
            "customer": b"John Doe", "amount": b"90.00", "status": b"refunded"}))
        print(f"Two updates later the current SCN is {engine.current_scn()}.\n")

        then = engine.execute_flashback("orders", FlashbackQuery.AsOfScn(placed, "orders"))
        print(f"AS OF SCN {placed}: status = {_text(then.rows[0].columns['status'])}\n")

        history = engine.query("orders", TemporalQuery.KeyHistory(b"order_123"))
        print("Every version of order_123:")
        print(tabulate(
            [(v.start_scn, v.end_scn, v.operation.code(), _text(v.columns.get("status")),
              _text(v.columns.get("amount"))) for v in history],
            headers=["start SCN", "end SCN", "op", "status", "amount"], disable_numparse=True,
        ))

        restored = engine.restore_table("orders", scn=placed)
        now = engine.query("orders", TemporalQuery.KeyHistory(b"order_123"))[-1]
        print(f"\nRestored to SCN {restored.target_scn} ({restored.updated} row updated): "
              f"status = {_text(now.columns['status'])}, a new {now.operation.code()} version "
              f"at SCN {now.start_scn}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
