"""The ``symxent`` command line: a safe parser of distribution strings and commands.

``parsing`` turns strings such as ``"Normal(mu1, sigma1)"`` into sympy.stats
random variables without ``eval`` or ``sympify`` (``families`` is its table);
``commands`` builds the argument parser and runs a command, one module per
command: ``derive``, ``check``, ``table``, ``prove`` (the theorem scripts),
``plot``, ``divergence_cli`` (the divergence family), with what they share in
``common``; ``errors`` holds the exit codes (``STATUS_TABLE``) and their
exceptions, ``supervise`` runs a command in a child process that
``--timeout`` and Ctrl-C can always stop.

May import: anything of symxent.  Nothing else of symxent imports it.
"""
from symxent.cli.commands import build_parser, main

__all__ = ["main", "build_parser"]
