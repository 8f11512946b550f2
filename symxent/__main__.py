"""``python -m symxent``: the command-line interface (see :mod:`symxent.cli`)."""

import sys

from symxent.cli import main

sys.exit(main())
