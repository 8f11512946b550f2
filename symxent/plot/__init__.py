"""Pictures of entropy, cross-entropy and KL divergence (matplotlib, optional).

* :func:`plot_divergence` ``(P, Q, subs)``: the densities p and q and the
  integrand p log(p/q), whose area is D_KL(P || Q), with the value in the
  title (bars for discrete laws).
* :func:`plot_measure` ``(quantity, over=(symbol, lo, hi), subs)``: a measure
  as a function of one parameter, drawn from its closed form, with a few
  points checked against the numeric definition
  (:func:`symxent.numeric.evaluate`).

matplotlib is the optional ``plot`` extra: ``pip install "symxent[plot]"``;
without it these functions raise an ImportError that says so.  Figures are
``matplotlib.figure.Figure`` objects built without pyplot (no global state;
they display in Jupyter and save as PNG, SVG or PDF with ``savefig``).

May import: sympy, mpmath, numpy and matplotlib (imported lazily),
:mod:`symxent.errors`, :mod:`symxent.budget`, :mod:`symxent.laws`,
:mod:`symxent.numeric` and the public measures (:mod:`symxent.measures`).
Never the engine internals, derivations, the CLI or the testing helpers.
"""
from symxent.plot.core import plot_divergence, plot_measure

__all__ = ["plot_divergence", "plot_measure"]
