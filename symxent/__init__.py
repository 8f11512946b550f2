"""symxent: symbolic entropy, cross-entropy and KL divergence on SymPy and mpmath.

The public surface is exactly what ``__all__`` lists; implementation modules
may change behind it.
"""
from symxent.budget import BudgetExceeded, get_default_timeout, set_default_timeout
from symxent.errors import (DensityError, MissingAssumptionError, NegativeDensityError,
                     NotNormalizedError, ParameterError, ParseError, SymxentError,
                     UnsupportedError)
from symxent.derivation.core import Derivation, DerivationError, Step, derive
from symxent.laws.distributions import Categorical
from symxent.engine.expectation import register_rule
from symxent.engine.kernels import register_kernel
from symxent.testing.refute import refute
from symxent.testing.formula import assert_formula, check_formula
from symxent.measures import (CrossEntropy, Entropy, KLDivergence, NoClosedFormWarning,
                       cross_entropy, entropy, kl_divergence)
from symxent.divergences import (AlphaDivergence, BhattacharyyaCoefficient,
                                 BhattacharyyaDistance, Chi2Divergence, FDivergence,
                                 HellingerDistance, RenyiDivergence, RenyiEntropy,
                                 TsallisEntropy, alpha_divergence, bhattacharyya_coefficient,
                                 bhattacharyya_distance, chi2_divergence, f_divergence,
                                 hellinger_distance, renyi_divergence, renyi_entropy,
                                 tsallis_entropy)

__version__ = "0.1.0"

__all__ = [
    # measures
    "entropy", "cross_entropy", "kl_divergence",
    "Entropy", "CrossEntropy", "KLDivergence",
    # the divergence family
    "renyi_divergence", "renyi_entropy", "tsallis_entropy", "bhattacharyya_coefficient",
    "bhattacharyya_distance", "hellinger_distance", "chi2_divergence", "alpha_divergence",
    "f_divergence", "RenyiDivergence", "RenyiEntropy", "TsallisEntropy",
    "BhattacharyyaCoefficient", "BhattacharyyaDistance", "HellingerDistance",
    "Chi2Divergence", "AlphaDivergence", "FDivergence",
    # checking formulas
    "assert_formula", "check_formula", "refute",
    # derivations
    "derive", "Derivation", "Step", "DerivationError",
    # distributions sympy.stats lacks
    "Categorical",
    # extending the engine
    "register_rule", "register_kernel",
    # configuration
    "set_default_timeout", "get_default_timeout",
    # warnings and errors
    "NoClosedFormWarning", "BudgetExceeded", "SymxentError", "DensityError",
    "NotNormalizedError", "NegativeDensityError", "ParameterError",
    "MissingAssumptionError", "UnsupportedError", "ParseError",
]
