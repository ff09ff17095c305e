"""The bottom toolbar: database, current SCN, transaction state, last statement's time."""

from __future__ import annotations


def toolbar_text(database: str, scn: int, in_transaction: bool, elapsed: float | None,
                 flashback_scn: int | None = None, aborted: bool = False) -> str:
    """`` in-memory │ SCN 42 │ TRANSACTION OPEN │ last: 12 ms ``; ``aborted``: the
    transaction was rolled back and waits for ROLLBACK.

    >>> toolbar_text("in-memory", 7, False, 0.0123)
    ' in-memory │ SCN 7 │ autocommit │ last: 12 ms │ Ctrl-D exits '
    >>> toolbar_text("in-memory", 7, False, None, flashback_scn=3)
    ' in-memory │ SCN 7 │ FLASHBACK AT SCN 3 │ autocommit │ Ctrl-D exits '
    >>> toolbar_text("in-memory", 7, True, None, aborted=True)
    ' in-memory │ SCN 7 │ TRANSACTION ABORTED │ Ctrl-D exits '
    """
    state = ("TRANSACTION ABORTED" if aborted
             else "TRANSACTION OPEN" if in_transaction else "autocommit")
    parts = [database, f"SCN {scn}", state]
    if flashback_scn is not None:  # DBMS_FLASHBACK.ENABLE_AT_...: reads are in the past
        parts.insert(2, f"FLASHBACK AT SCN {flashback_scn}")
    if elapsed is not None:
        parts.append(f"last: {format_elapsed(elapsed)}")
    parts.append("Ctrl-D exits")
    return " " + " │ ".join(parts) + " "


def format_elapsed(seconds: float) -> str:
    """``12 ms`` below a second, ``1.25 s`` above."""
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"
