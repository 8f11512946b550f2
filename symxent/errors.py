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
