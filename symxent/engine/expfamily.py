r"""Exponential families in Bregman form.

A density is an exponential family in the free parameters ``theta`` when its
log-density splits as

.. math::  \log p(x) = \sum_i \eta_i(\theta)\, T_i(x) - A(\theta) + \log h(x),

with sufficient statistics :math:`T_i`, natural parameters :math:`\eta_i` and
log-normaliser :math:`A`.  Differentiating :math:`\int p = 1` in
:math:`\theta_j` gives the moment identity

.. math::  \partial_{\theta_j} A = \sum_i \partial_{\theta_j}\eta_i \; E[T_i],

i.e. ``J^T E[T] = grad A`` with the Jacobian ``J = d eta / d theta``: when
``J`` is square and invertible, the expected sufficient statistics follow
without a single integral (Wainwright & Jordan 2008, Prop. 3.1, in the
``theta`` chart).  Within one family the KL divergence is then the Bregman
divergence of ``A`` (Banerjee et al. 2005, Thm. 4; Nielsen & Nock 2010):

.. math::  D_{KL}(p_1 \| p_2) = A(\theta_2) - A(\theta_1)
           - \langle E_1[T],\, \eta(\theta_2) - \eta(\theta_1) \rangle .

Parameters that appear inside a statistic (the shape ``k`` of ``x**k``, the
location ``mu`` of ``|x - mu|``) or in the support are held fixed; the family
is then exponential in the remaining ones (Weibull in its scale, Laplace in
its scale, Pareto in its shape).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

__all__ = ["ExpFamily", "detect"]


@dataclass(frozen=True)
class ExpFamily:
    """``log p = eta . T - A + log h`` in the free parameters ``theta``."""

    variables: tuple
    theta: tuple
    T: tuple
    eta: tuple
    A: object
    log_h: object

    def mean_statistics(self) -> dict:
        """``{T_i: E[T_i]}`` from ``J^T E[T] = grad_theta A``."""
        J = sp.Matrix([[sp.diff(e, t) for t in self.theta] for e in self.eta])
        grad = sp.Matrix([sp.diff(self.A, t) for t in self.theta])
        if J.shape[0] == 1:
            sol = [sp.cancel(grad[0] / J[0, 0])]
        else:
            sol = list(J.T.LUsolve(grad))
        return {T: sp.cancel(s) for T, s in zip(self.T, sol)}


def detect(log_terms, variables, params, fixed=()):
    """Read an exponential family off the terms of a log-density.

    ``log_terms`` is an iterable of additive terms; ``variables`` the random
    variable(s); ``params`` the distribution's parameters; ``fixed`` those held
    fixed (e.g. appearing in the support).  Returns an :class:`ExpFamily` with
    an invertible Jacobian, or ``None``.
    """
    variables = tuple(variables)
    pure, mixed, base = sp.S.Zero, {}, sp.S.Zero
    fixed = set(fixed)
    for t in log_terms:
        for a in sp.Add.make_args(sp.expand(t)):
            c, f = a.as_independent(*variables, as_Add=False)
            # a parameter inside a statistic (x**k, log(1 - x**a), ...) is held fixed
            fixed |= f.free_symbols & set(params)
            if f == 1:
                pure += c
            elif not (c.free_symbols & set(params)):
                base += a
            else:
                mixed[f] = mixed.get(f, 0) + c
    theta = tuple(p for p in params if p not in fixed)
    T, eta = [], []
    for f, c in mixed.items():
        if c.free_symbols & set(theta):
            T.append(f)
            eta.append(c)
        else:
            base += c * f
    if not T or len(T) != len(theta) or (base.free_symbols & set(theta)):
        return None
    J = sp.Matrix([[sp.diff(e, t) for t in theta] for e in eta])
    if sp.cancel(J.det()) == 0:
        return None
    return ExpFamily(variables, theta, tuple(T), tuple(eta), -pure, base)
