"""``python -m symxent``: the command-line interface (see :mod:`symxent.cli.commands`)."""

import sys

from symxent.cli.commands import main

sys.exit(main())
