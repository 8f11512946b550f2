"""Closed-form integrals of ``exp(L(x))`` for log-linear forms ``L``.

Each kernel is a small rule whose docstring *is* the rule.  A kernel looks at
the features of a :class:`~symxent.engine.logform.LogForm` on an interval and, when
they have its shape, returns ``Z = integral of exp(L)`` with the condition under
which the integral converges.  Every expectation the engine needs is a
derivative or a ratio of such ``Z`` (exponential tilting): for a feature
``phi``, ``E[phi] = d/de log Z(L + e*phi)`` at ``e = 0`` and
``E[exp(s*phi)] = Z(L + s*phi) / Z(L)``.

Kernels share the expectation rules' calling convention (:class:`Kernel`):
``step(region, f)`` returns ``(value, step)`` or ``None``, where a kernel
answers ``f = 1`` and its value is a :class:`KernelResult`.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symxent.engine.steps import Region, RuleStep
from symxent.laws.support import known_le, known_positive

__all__ = ["KERNELS", "integrate_exp", "kernel_integral", "Kernel", "KernelResult",
           "register_kernel"]


@dataclass(frozen=True)
class KernelResult:
    """``Z`` in closed form, valid where ``cond`` holds; ``rule`` names the kernel.

    ``logZ``, when the kernel gives it, is ``log Z`` written as a sum of
    logarithms of its (positive) factors, cheaper to expand than ``log(Z)``.
    """

    Z: object
    cond: object
    rule: str
    logZ: object = None

    def log_Z(self):
        return sp.expand_log(self.logZ if self.logZ is not None else sp.log(self.Z),
                             force=True)


class Kernel:
    """Base of the kernels: ``int exp(L)`` over a region, in closed form.

    A kernel's docstring states its integral; ``__call__(form, lo, hi, facts)``
    returns a :class:`KernelResult` for a form of its shape, else ``None``.
    ``step(region, f)`` is the engine's calling convention, the same as the
    expectation rules' (:class:`symxent.engine.rulebase.Rule`): ``None`` or
    ``(value, step)``, here for ``f = 1`` only, with the :class:`KernelResult` as
    the value and a :class:`~symxent.engine.steps.RuleStep` naming the kernel.
    """

    name = "kernel"

    def step(self, region, f=1):
        if f != 1:
            return None
        r = self(region.L, region.lo, region.hi, region.facts)
        return None if r is None else (r, RuleStep(r.rule, region.L, r.Z))

    def __call__(self, form, lo, hi, facts):  # pragma: no cover - interface
        raise NotImplementedError


_is_pos = known_positive


def _exp(c):
    """``exp(c)`` with each term ``k*log(a)`` of ``c`` written ``a**k``.

    An identity: SymPy defines ``a**k`` as ``exp(k*log(a))`` (principal branch).
    It keeps ``theta**k * exp(-k*log(theta))`` from appearing unsimplified.
    """
    powers, rest = [], []
    for t in sp.Add.make_args(c):
        k, lg = t.as_independent(sp.log, as_Add=False)
        if isinstance(lg, sp.log) and not k.has(sp.log):
            powers.append(lg.args[0] ** k)
        else:
            rest.append(t)
    return sp.Mul(*powers) * sp.exp(sp.Add(*rest))


def _only(form, allowed):
    return all(f in allowed for f in form.coeff)


class GeneralizedGamma(Kernel):
    """int_0^oo x**a * exp(-b*x**c) dx = Gamma((a+1)/c) / (|c| * b**((a+1)/c)).

    Valid for b > 0 and (a+1)/c > 0 (Gradshteyn & Ryzhik 3.478.1).  Covers
    Gamma, Weibull, Chi, Rayleigh, Maxwell, Nakagami, GammaInverse (c = -1) ...
    """

    name = "generalized Gamma integral"

    def __call__(self, form, lo, hi, facts):
        x = form.x
        if lo != 0 or hi is not sp.oo:
            return None
        powers = [f for f in form.coeff if f != sp.log(x)]
        if len(powers) != 1:
            return None
        p = powers[0]
        if p == x:
            c = sp.S.One
        elif p.is_Pow and p.base == x and not p.exp.has(x):
            c = p.exp
        else:
            return None
        a = form.coeff.get(sp.log(x), sp.S.Zero)
        b = -form.coeff[p]
        if c.is_zero or (c.is_positive is None and c.is_negative is None):
            return None
        absc = c if c.is_positive else -c
        z = (a + 1) / c
        Z = _exp(form.const) * sp.gamma(z) / (absc * b ** z)
        logZ = form.const + sp.log(sp.gamma(z)) - sp.log(absc) - z * sp.log(b)
        return KernelResult(Z, sp.And(_is_pos(b, facts), _is_pos(sp.together(z), facts)),
                            self.name, logZ)


class PowerTail(Kernel):
    """int_l^oo x**a dx = l**(a+1) / (-a-1) for a < -1, l > 0;  int_0^u x**a dx = u**(a+1)/(a+1) for a > -1.

    (Elementary; the Pareto family.)
    """

    name = "power integral"

    def __call__(self, form, lo, hi, facts):
        x = form.x
        if not _only(form, {sp.log(x)}):
            return None
        a = form.coeff.get(sp.log(x), sp.S.Zero)
        if hi is sp.oo and lo.is_finite and known_le(0, lo, facts) is sp.true and lo != 0:
            Z = _exp(form.const) * lo ** (a + 1) / (-a - 1)
            logZ = form.const + (a + 1) * sp.log(lo) - sp.log(-a - 1)
            return KernelResult(Z, _is_pos(-a - 1, facts), self.name, logZ)
        if lo == 0 and hi.is_finite:
            Z = _exp(form.const) * hi ** (a + 1) / (a + 1)
            logZ = form.const + (a + 1) * sp.log(hi) - sp.log(a + 1)
            return KernelResult(Z, _is_pos(a + 1, facts), self.name, logZ)
        return None


class PowerInterval(Kernel):
    """int_l^h x**a dx = (h**(a+1) - l**(a+1)) / (a+1) for 0 < l < h and a != -1.

    (Elementary; the bounded Pareto law and its tilts in log x.  At a = -1, the
    reciprocal law, the condition fails and other rules take over.)
    """

    name = "power integral on a bounded interval"

    def __call__(self, form, lo, hi, facts):
        x = form.x
        if not _only(form, {sp.log(x)}) or not (lo.is_finite and hi.is_finite):
            return None
        if lo == 0 or known_le(0, lo, facts) is not sp.true:
            return None
        a = form.coeff.get(sp.log(x), sp.S.Zero)
        if a == 0:
            return None
        Z = _exp(form.const) * (hi ** (a + 1) - lo ** (a + 1)) / (a + 1)
        return KernelResult(Z, sp.Ne(a + 1, 0), self.name)


class BetaIntegral(Kernel):
    """int_l^u (x-l)**a (u-x)**b dx = (u-l)**(a+b+1) * B(a+1, b+1) for a, b > -1.

    Euler's Beta integral after the affine map x = l + (u-l)*t (DLMF 5.12.1).
    Covers Beta, Arcsin, Uniform (a = b = 0), Kumaraswamy after x = t**(1/a).
    """

    name = "Beta integral"

    def __call__(self, form, lo, hi, facts):
        x = form.x
        if not (lo.is_finite and hi.is_finite):
            return None
        left = sp.log(x - lo) if lo != 0 else sp.log(x)
        right = sp.log(hi - x)
        if not _only(form, {left, right}):
            return None
        a = form.coeff.get(left, sp.S.Zero)
        b = form.coeff.get(right, sp.S.Zero)
        Z = _exp(form.const) * (hi - lo) ** (a + b + 1) * sp.beta(a + 1, b + 1)
        logZ = (form.const + (a + b + 1) * sp.log(hi - lo) + sp.log(sp.gamma(a + 1))
                + sp.log(sp.gamma(b + 1)) - sp.log(sp.gamma(a + b + 2)))
        if a == 0 and b == 0:
            Z = _exp(form.const) * (hi - lo)
            logZ = form.const + sp.log(hi - lo)
        return KernelResult(Z, sp.And(_is_pos(a + 1, facts), _is_pos(b + 1, facts)), self.name,
                            logZ)


class Gaussian(Kernel):
    """int_R exp(-alpha*x**2 + beta*x) dx = sqrt(pi/alpha) * exp(beta**2/(4*alpha)), alpha > 0.

    (Completing the square; DLMF 7.4.2 with the shift.)
    """

    name = "Gaussian integral"

    def __call__(self, form, lo, hi, facts):
        x = form.x
        if lo is not sp.S.NegativeInfinity or hi is not sp.oo:
            return None
        if not _only(form, {x, x**2}) or x**2 not in form.coeff:
            return None
        alpha = -form.coeff[x**2]
        beta = form.coeff.get(x, sp.S.Zero)
        Z = _exp(form.const) * sp.sqrt(sp.pi / alpha) * sp.exp(beta**2 / (4 * alpha))
        logZ = form.const + (sp.log(sp.pi) - sp.log(alpha)) / 2 + beta**2 / (4 * alpha)
        return KernelResult(Z, _is_pos(alpha, facts), self.name, logZ)


class ExponentialTail(Kernel):
    """int_l^oo exp(-b*x) dx = exp(-b*l)/b and int_-oo^u exp(b*x) dx = exp(b*u)/b, b > 0.

    int_l^u exp(b*x) dx = (exp(b*u) - exp(b*l))/b on a bounded interval.
    """

    name = "exponential integral"

    def __call__(self, form, lo, hi, facts):
        x = form.x
        if not _only(form, {x}):
            return None
        b = form.coeff.get(x, sp.S.Zero)
        if b == 0:
            if lo.is_finite and hi.is_finite:
                return KernelResult(_exp(form.const) * (hi - lo), sp.true, self.name)
            return None
        if hi is sp.oo and lo.is_finite:
            return KernelResult(_exp(form.const + b * lo) / (-b), _is_pos(-b, facts), self.name,
                                form.const + b * lo - sp.log(-b))
        if lo is sp.S.NegativeInfinity and hi.is_finite:
            return KernelResult(_exp(form.const + b * hi) / b, _is_pos(b, facts), self.name,
                                form.const + b * hi - sp.log(b))
        if lo.is_finite and hi.is_finite:
            Z = _exp(form.const) * (sp.exp(b * hi) - sp.exp(b * lo)) / b
            return KernelResult(Z, sp.Ne(b, 0), self.name)
        return None


class GaussianTail(Kernel):
    """int_l^oo exp(-alpha*x**2 + beta*x) dx = 1/2 sqrt(pi/alpha) exp(beta**2/(4 alpha)) erfc((2 alpha l - beta)/(2 sqrt(alpha))).

    The mirror image for (-oo, u).  Completing the square (DLMF 7.2.2, 7.4.2).
    """

    name = "Gaussian tail integral"

    def __call__(self, form, lo, hi, facts):
        x = form.x
        if not _only(form, {x, x**2}) or x**2 not in form.coeff:
            return None
        alpha = -form.coeff[x**2]
        beta = form.coeff.get(x, sp.S.Zero)
        pre = _exp(form.const) * sp.sqrt(sp.pi / alpha) * sp.exp(beta**2 / (4 * alpha)) / 2
        if hi is sp.oo and lo.is_finite:
            Z = pre * sp.erfc((2 * alpha * lo - beta) / (2 * sp.sqrt(alpha)))
        elif lo is sp.S.NegativeInfinity and hi.is_finite:
            Z = pre * sp.erfc((beta - 2 * alpha * hi) / (2 * sp.sqrt(alpha)))
        else:
            return None
        return KernelResult(Z, _is_pos(alpha, facts), self.name)


class uppergamma_da(sp.Function):  # noqa: N801
    """``d/da Gamma(a, z)``, the derivative of the upper incomplete Gamma function in ``a``.

    At ``a = 1`` it is int_z^oo log(t) e^(-t) dt = e^(-z) log z + E1(z) (integration by
    parts; DLMF 6.2.1 for E1); at a positive integer ``n + 1`` the recurrence
    Gamma(a + 1, z) = a Gamma(a, z) + z**a e^(-z) (DLMF 8.8.2), differentiated in ``a``,
    gives d/da Gamma(n + 1, z) = Gamma(n, z) + n d/da Gamma(n, z) + z**n log(z) e^(-z).
    Elsewhere it stays unevaluated (a Meijer G function).
    """

    nargs = 2

    @classmethod
    def eval(cls, a, z):
        if a.is_Integer and a.is_positive:
            v = sp.exp(-z) * sp.log(z) + sp.expint(1, z)
            for n in range(1, int(a)):
                v = sp.uppergamma(n, z) + n * v + z**n * sp.log(z) * sp.exp(-z)
            return v
        return None

    def _eval_evalf(self, prec):
        import mpmath
        a, z = (t.evalf(prec) for t in self.args)
        if not (a.is_Number and z.is_Number):
            return None
        with mpmath.workprec(prec):
            v = mpmath.diff(lambda t: mpmath.gammainc(t, mpmath.mpf(z)), mpmath.mpf(a))
        return sp.Float(v, precision=prec)


class uppergamma(sp.uppergamma):  # noqa: N801 - prints as, and is, SymPy's uppergamma
    """SymPy's ``uppergamma`` whose derivative in ``a`` is :class:`uppergamma_da`."""

    def fdiff(self, argindex=2):
        if argindex == 1:
            return uppergamma_da(*self.args)
        return super().fdiff(argindex)


class IncompleteGamma(Kernel):
    """int_0^u x**a exp(-b*x) dx = b**(-a-1) lowergamma(a+1, b*u);  int_l^oo ... = b**(-a-1) uppergamma(a+1, b*l).

    For b > 0, a > -1 (the lower one) and l > 0 (the upper one); DLMF 8.2.1-8.2.2.
    """

    name = "incomplete Gamma integral"

    def __call__(self, form, lo, hi, facts):
        x = form.x
        if not _only(form, {x, sp.log(x)}) or x not in form.coeff:
            return None
        a = form.coeff.get(sp.log(x), sp.S.Zero)
        b = -form.coeff[x]
        pre = _exp(form.const) * b ** (-a - 1)
        if lo == 0 and hi.is_finite:
            return KernelResult(pre * sp.lowergamma(a + 1, b * hi),
                                sp.And(_is_pos(b, facts), _is_pos(a + 1, facts)), self.name)
        if hi is sp.oo and lo.is_finite and lo != 0 and known_le(0, lo, facts) is sp.true:
            return KernelResult(pre * uppergamma(a + 1, b * lo), _is_pos(b, facts),
                                self.name)
        return None


class StudentKernel(Kernel):
    """int_R ((x-m)**2 + s**2)**(-r) dx = s**(1-2r) * sqrt(pi) * Gamma(r-1/2) / Gamma(r), r > 1/2.

    Substitute x = m + s*t and use int_R (1+t**2)**(-r) dt = B(1/2, r-1/2)
    (Gradshteyn & Ryzhik 3.251.11).  Covers Student's t and Cauchy.
    """

    name = "Student-t integral"

    def __call__(self, form, lo, hi, facts):
        x = form.x
        if lo is not sp.S.NegativeInfinity or hi is not sp.oo or len(form.coeff) != 1:
            return None
        (f, c), = form.coeff.items()
        if not isinstance(f, sp.log):
            return None
        poly = f.args[0].as_poly(x)
        if poly is None or poly.degree() != 2:
            return None
        A, B, C = poly.all_coeffs()
        if A != 1:
            return None
        m = -B / 2
        s2 = sp.factor(C - m**2)
        if _is_pos(s2, facts) is not sp.true:
            return None
        r = -c
        half = sp.Rational(1, 2)
        Z = (_exp(form.const) * s2 ** (half - r) * sp.sqrt(sp.pi)
             * sp.gamma(r - half) / sp.gamma(r))
        logZ = (form.const + (half - r) * sp.log(s2) + sp.log(sp.pi) / 2
                + sp.log(sp.gamma(r - half)) - sp.log(sp.gamma(r)))
        return KernelResult(Z, _is_pos(r - half, facts), self.name, logZ)


class LogisticBeta(Kernel):
    """int_R exp(a*x) * (1 + c*exp(k*x))**(-b) dx = B(a/k, b - a/k) / (|k| * c**(a/k)), 0 < a/k < b.

    For c > 0 and k != 0: substitute u = k*x + log(c), then t = e^u/(1 + e^u),
    which gives Euler's Beta integral int_R e^(alpha u) (1 + e^u)^(-b) du =
    B(alpha, b - alpha) (DLMF 5.12.3 with 5.12.1; Gradshteyn & Ryzhik 3.311.3).
    Covers the logistic law and its tilts.
    """

    name = "logistic Beta integral"

    def __call__(self, form, lo, hi, facts):
        x = form.x
        if lo is not sp.S.NegativeInfinity or hi is not sp.oo:
            return None
        const, a = form.const, form.coeff.get(x, sp.S.Zero)
        base, b = None, sp.S.Zero   # (log c, k) of the one feature log(1 + c*exp(k*x))
        for f, w in form.coeff.items():
            if f == x:
                continue
            parts = _log_one_plus_exp(f, x, facts)
            if parts is None:
                return None
            lp, logc, k = parts              # f = lp + log(1 + exp(logc + k*x))
            if base is not None and sp.expand(k + base[1]) == 0:
                # f = lp + logc + k*x + log(1 + exp(-logc - k*x)): the other orientation
                lp, a, logc, k = lp + logc, a + w * k, -logc, -k
            const += w * lp
            if base is None:
                base = (logc, k)
            elif sp.expand(k - base[1]) != 0 or sp.expand(logc - base[0]) != 0:
                return None
            b -= w
        if base is None:
            return None
        logc, k = base
        alpha = a / k
        absk = k if k.is_positive else -k
        logZ = (const - alpha * logc - sp.log(absk) + sp.log(sp.gamma(alpha))
                + sp.log(sp.gamma(b - alpha)) - sp.log(sp.gamma(b)))
        Z = (_exp(const) * sp.exp(-alpha * logc) / absk
             * sp.gamma(alpha) * sp.gamma(b - alpha) / sp.gamma(b))
        return KernelResult(Z, sp.And(_is_pos(alpha, facts), _is_pos(b - alpha, facts)),
                            self.name, logZ)


def _log_one_plus_exp(f, x, facts):
    """``f = log(P + Q*exp(k*x + r))`` with ``P, Q > 0`` -> ``(log P, log(Q/P) + r, k)``."""
    if not isinstance(f, sp.log):
        return None
    terms = sp.Add.make_args(sp.expand(f.args[0]))
    if len(terms) != 2:
        return None
    fixed = [t for t in terms if not t.has(x)]
    moving = [t for t in terms if t.has(x)]
    if len(fixed) != 1 or len(moving) != 1:
        return None
    P = fixed[0]
    Q, e = moving[0].as_independent(x, as_Add=False)
    e = sp.powsimp(e)
    if not isinstance(e, sp.exp):
        return None
    arg = sp.expand(e.args[0])
    k = arg.coeff(x)
    r = arg - k * x
    if r.has(x) or not (k.is_positive or k.is_negative):
        return None
    if _is_pos(P, facts) is not sp.true or _is_pos(Q, facts) is not sp.true:
        return None
    logP = sp.expand_log(sp.log(P), force=True)   # P, Q > 0
    return logP, sp.expand_log(sp.log(Q), force=True) - logP + r, k


KERNELS = [GeneralizedGamma(), Gaussian(), BetaIntegral(), PowerTail(), PowerInterval(),
           ExponentialTail(),
           StudentKernel(), GaussianTail(), IncompleteGamma(), LogisticBeta()]


def kernel_integral(region):
    """``(KernelResult, step)`` for ``int exp(L)`` on the region by the first kernel
    that fits, or ``None``."""
    for k in KERNELS:
        step = getattr(k, "step", None)
        if step is not None:
            out = step(region, 1)
        else:  # a plain callable (form, lo, hi, facts) -> KernelResult, as registered before
            r = k(region.L, region.lo, region.hi, region.facts)
            out = None if r is None else (r, RuleStep(r.rule, region.L, r.Z))
        if out is not None:
            return out
    return None


def integrate_exp(form, lo, hi, facts=()):
    """``int_lo^hi exp(L) dx`` by the first kernel that fits, or ``None``."""
    out = kernel_integral(Region(form, lo, hi, facts))
    return None if out is None else out[0]


def register_kernel(kernel, first=False):
    """Add ``kernel`` to the kernels every expectation may use; returns it.

    A kernel is a :class:`Kernel`: a callable ``(form, lo, hi, facts) ->
    KernelResult or None`` (see :class:`GeneralizedGamma`) that, given a
    :class:`~symxent.engine.logform.LogForm` on ``(lo, hi)``, returns ``Z = int
    exp(L) dx`` with its convergence condition, or ``None`` when the form is not
    of its shape; subclassing :class:`Kernel` gives it the engine's calling
    convention ``step(region, f)``.  A plain callable is accepted too.  Kernels
    are tried in order; ``first=True`` puts this one ahead of the others.
    """
    if not callable(kernel) and not callable(getattr(kernel, "step", None)):
        raise TypeError(f"a kernel is a callable (form, lo, hi, facts), got {kernel!r}")
    if kernel not in KERNELS:
        KERNELS.insert(0, kernel) if first else KERNELS.append(kernel)
    return kernel
