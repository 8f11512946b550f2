"""Exceptions raised by symxent.

Every bad input gets its own exception type with a message that names the
problem; symxent never answers bad input with a number.
"""


class SymxentError(Exception):
    """Base class of all symxent errors."""


class DensityError(SymxentError, ValueError):
    """The density is not a probability density (or mass function)."""


class NotNormalizedError(DensityError):
    """The density does not integrate (or sum) to 1 on its declared support."""


class NegativeDensityError(DensityError):
    """The density takes negative (or non-real) values on its support."""


class ParameterError(SymxentError, ValueError):
    """A parameter lies outside its domain, or lacks the assumptions needed."""


class MissingAssumptionError(ParameterError):
    """A symbolic parameter lacks an assumption needed to decide its domain."""


class UnsupportedError(SymxentError, TypeError):
    """The input is not a random variable symxent understands, or the pair is mismatched."""


class ParseError(SymxentError, ValueError):
    """A distribution string (CLI) could not be parsed safely."""


def strict_sympify(value, what):
    """``value`` as a SymPy object, refusing strings before SymPy sees them.

    SymPy's ``sympify`` evaluates strings as Python code, so the Python API
    never parses them (the CLI has its own safe parser); ``strict=True`` also
    refuses arbitrary objects with a ``__str__``.  ``what`` names the argument
    in the error."""
    import sympy

    if isinstance(value, (str, bytes, bytearray)):
        raise UnsupportedError(
            f"{what} got the string {value!r}: symxent never parses strings in its Python "
            f"API (SymPy's sympify would run them as code); build the object with SymPy, "
            f"or use the command line, whose parser is safe")
    try:
        return sympy.sympify(value, strict=True)
    except sympy.SympifyError as exc:
        raise UnsupportedError(f"{what} got {value!r}, which is not a SymPy expression") from exc
