"""``python -m heliosql``: the command line."""

from heliosql.cli import main

raise SystemExit(main())
