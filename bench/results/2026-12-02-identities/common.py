"""Shared pieces: SymPy -> bounds translation, assumptions, real-valued evaluator, sampler."""
import keyword, random, re
from fractions import Fraction
import mpmath
import sympy
from sympy import (Add, Mul, Pow, Symbol, Dummy, Integer, Rational, Float, exp, log, Min, Max, Abs,
                   binomial, E, pi, S)
from sympy.core.numbers import NumberSymbol

mpmath.mp.dps = 60


class Unsupported(Exception):
    pass


class Undefined(Exception):
    pass


RESERVED = {'e', 'pi', 'exp', 'log', 'sqrt', 'min', 'max', 'binom', 'abs', 'in', 'integer', 'and', 'or',
            'oo', 'inf', 'E', 'I', 'S', 'N', 'O', 'Q', 'real', 'not'}
IDENT = re.compile(r'^[A-Za-z][A-Za-z0-9_]*$')


# ---------------------------------------------------------------- assumptions
def bounds_assumption(sym):
    """Return (bounds assumption string or None, spec dict for sampling).
    Raises Unsupported for symbols outside the real fragment."""
    if not sym.is_commutative:
        raise Unsupported('noncommutative symbol')
    a = sym.assumptions0
    if a.get('polar') or a.get('imaginary') or a.get('real') is False or a.get('extended_real') is False \
            or a.get('finite') is False or a.get('infinite'):
        raise Unsupported('non-real symbol %s' % sym)
    if sym.is_zero:
        raise Unsupported('zero symbol')
    integer = bool(sym.is_integer)
    lo = hi = None          # (value, strict)
    if sym.is_positive or sym.is_extended_positive:
        lo = (0, True)
    elif sym.is_nonnegative or sym.is_extended_nonnegative:
        lo = (0, False)
    elif sym.is_negative or sym.is_extended_negative:
        hi = (0, True)
    elif sym.is_nonpositive or sym.is_extended_nonpositive:
        hi = (0, False)
    if sym.is_prime:
        lo = (2, False)
    if integer:
        if lo is not None:
            lo = (lo[0] + (1 if lo[1] else 0), False)
        if hi is not None:
            hi = (hi[0] - (1 if hi[1] else 0), False)
    spec = dict(integer=integer, lo=lo, hi=hi)
    return spec


def assumption_text(name, spec):
    parts = []
    lo, hi, integer = spec['lo'], spec['hi'], spec['integer']
    if lo is not None:
        parts.append('%s %s %s' % (name, '>' if lo[1] else '>=', lo[0]))
    elif hi is not None:
        parts.append('%s %s %s' % (name, '<' if hi[1] else '<=', hi[0]))
    if integer:
        if parts:
            parts[0] += ' integer'
        else:
            parts.append('%s integer' % name)
    return parts


# ---------------------------------------------------------------- translation
def _num(r):
    if r.q == 1:
        return '(%d)' % r.p if r.p < 0 else '%d' % r.p
    return '(%d/%d)' % (r.p, r.q)


class Translator:
    def __init__(self):
        self.names = {}      # sympy Symbol -> bounds name
        self.used = set()

    def name(self, s):
        if s in self.names:
            return self.names[s]
        base = s.name
        if not IDENT.match(base):
            base = re.sub(r'[^A-Za-z0-9_]', '', base) or 'v'
            if not base[0].isalpha():
                base = 'v' + base
        if base in RESERVED or keyword.iskeyword(base):
            base = base + '_v'
        n, i = base, 2
        while n in self.used:
            n = '%s_%d' % (base, i)
            i += 1
        self.used.add(n)
        self.names[s] = n
        return n

    def tr(self, e):
        if isinstance(e, (bool, int)):
            e = sympy.Integer(int(e))
        if e.is_Integer or e.is_Rational:
            return _num(e)
        if isinstance(e, Float):
            raise Unsupported('float')
        if e is S.Exp1:
            return 'e'
        if e is S.Pi:
            return 'pi'
        if e.is_Symbol:
            bounds_assumption(e)
            return self.name(e)
        if e.is_Add:
            return '(' + ' + '.join(self.tr(a) for a in e.args) + ')'
        if e.is_Mul:
            if not e.is_commutative:
                raise Unsupported('noncommutative')
            return '(' + '*'.join(self.tr(a) for a in e.args) + ')'
        if e.is_Pow:
            return '(%s)^(%s)' % (self.tr(e.base), self.tr(e.exp))
        if isinstance(e, exp):
            return 'exp(%s)' % self.tr(e.args[0])
        if isinstance(e, log):
            if len(e.args) == 2:      # log(x, b) = log(x)/log(b)
                return '(log(%s)/log(%s))' % (self.tr(e.args[0]), self.tr(e.args[1]))
            return 'log(%s)' % self.tr(e.args[0])
        if isinstance(e, (Min, Max)):
            return '%s(%s)' % ('min' if isinstance(e, Min) else 'max', ', '.join(self.tr(a) for a in e.args))
        if isinstance(e, Abs):
            a = self.tr(e.args[0])
            return 'max(%s, -%s)' % (a, a)
        if isinstance(e, binomial):
            return 'binom(%s, %s)' % (self.tr(e.args[0]), self.tr(e.args[1]))
        raise Unsupported(type(e).__name__)


# ---------------------------------------------------------------- evaluator (bounds' real semantics)
def exact_rational(e):
    """Fraction value of a numeric rational expression (possibly unevaluated), else None."""
    if isinstance(e, int):
        return Fraction(e)
    if e.is_Rational:
        return Fraction(int(e.p), int(e.q))
    if e.is_Add or e.is_Mul:
        vals = [exact_rational(a) for a in e.args]
        if any(v is None for v in vals):
            return None
        r = Fraction(0) if e.is_Add else Fraction(1)
        for v in vals:
            r = r + v if e.is_Add else r * v
        return r
    if e.is_Pow:
        b, x = exact_rational(e.base), exact_rational(e.exp)
        if b is None or x is None or x.denominator != 1 or (b == 0 and x < 0) or abs(x) > 200:
            return None
        return b ** int(x)
    return None


def _isint(v):
    # sample points are dyadic rationals (exact in binary), so integer-valued exponents are computed
    # exactly or within rounding of the working precision
    return abs(v - mpmath.nint(v)) <= mpmath.mpf(10) ** (-(mpmath.mp.dps - 10)) * max(1, abs(v))


def ev(e, env):
    """Value at a point under bounds' semantics (Sources/Derivation/SEMANTICS.md): log(x) needs x > 0;
    x^y needs x >= 0 unless y is an integer, and x != 0 when y < 0; binom(n, k) needs 0 <= k <= n.
    Raises Undefined where the expression has no value."""
    if isinstance(e, (bool, int)):
        return mpmath.mpf(int(e))
    if e.is_Rational:
        return mpmath.mpf(int(e.p)) / int(e.q)
    if e.is_Float:
        return mpmath.mpf(e)
    if e is S.Exp1:
        return mpmath.e
    if e is S.Pi:
        return mpmath.pi
    if e.is_Symbol:
        return env[e]
    if e.is_Add:
        return mpmath.fsum(ev(a, env) for a in e.args)
    if e.is_Mul:
        r = mpmath.mpf(1)
        for a in e.args:
            r *= ev(a, env)
        return r
    if e.is_Pow:
        b = ev(e.base, env)
        q = exact_rational(e.exp) if not e.exp.free_symbols else None
        if q is not None:
            if q.denominator == 1:
                if q < 0 and abs(b) < mpmath.mpf(10) ** (-(mpmath.mp.dps // 2)):
                    raise Undefined('division by (numerically) zero')
                return b ** int(q)
            if b > 0:
                return b ** (mpmath.mpf(q.numerator) / q.denominator)
            if b == 0:
                if q > 0:
                    return mpmath.mpf(0)
                raise Undefined('0^neg')
            raise Undefined('negative base, non-integer exponent')
        x = ev(e.exp, env)
        if _isint(x):
            n = int(mpmath.nint(x))
            if b == 0 and n < 0:
                raise Undefined('0^neg')
            if abs(n) > 100000:
                raise Undefined('overflow')
            return b ** n
        if b > 0:
            if x * mpmath.log(b) > 100000:
                raise Undefined('overflow')
            return b ** x
        if b == 0:
            if x > 0:
                return mpmath.mpf(0)
            raise Undefined('0^neg')
        raise Undefined('negative base, non-integer exponent')
    if isinstance(e, exp):
        x = ev(e.args[0], env)
        if x > 100000:
            raise Undefined('overflow')
        return mpmath.exp(x)
    if isinstance(e, log):
        if len(e.args) == 2:
            return ev(log(e.args[0], evaluate=False), env) / ev(log(e.args[1], evaluate=False), env)
        x = ev(e.args[0], env)
        if x <= 0:
            raise Undefined('log of nonpositive')
        return mpmath.log(x)
    if isinstance(e, Min):
        return min(ev(a, env) for a in e.args)
    if isinstance(e, Max):
        return max(ev(a, env) for a in e.args)
    if isinstance(e, Abs):
        return abs(ev(e.args[0], env))
    if isinstance(e, binomial):
        n, k = ev(e.args[0], env), ev(e.args[1], env)
        if not (0 <= k <= n):
            raise Undefined('binomial outside 0 <= k <= n')
        if _isint(k):
            k = int(mpmath.nint(k))
            r = mpmath.mpf(1)
            for i in range(k):
                r = r * (n - i) / (i + 1)
            return r
        v = mpmath.binomial(n, k)
        if not mpmath.isfinite(v):
            raise Undefined('binomial')
        return v
    raise Unsupported('eval ' + type(e).__name__)


def sample(spec, rng):
    lo, hi, integer = spec['lo'], spec['hi'], spec['integer']
    if integer:
        a = lo[0] if lo is not None else -6
        b = hi[0] if hi is not None else 6
        if lo is not None and hi is None:
            b = a + 8
        if hi is not None and lo is None:
            a = b - 8
        return mpmath.mpf(rng.randint(a, b))
    # dyadic rationals: exact in binary floating point, so sums/products of them (e.g. an exponent
    # 3*x*y that happens to be an integer) are computed exactly
    v = mpmath.mpf(int(round(float(mpmath.exp(rng.uniform(-2.0, 2.0))) * 2 ** 20))) / 2 ** 20
    if rng.random() < 0.2:      # some small dyadic values, integers included
        v = mpmath.mpf(rng.randint(1, 9)) / rng.choice([1, 2, 4])
    if lo is not None:
        return v
    if hi is not None:
        return -v
    return v if rng.random() < 0.5 else -v


def close(a, b):
    return abs(a - b) <= mpmath.mpf(10) ** -20 * max(1, abs(a), abs(b))


def ev_prec(e, env, dps):
    with mpmath.workdps(dps):
        return ev(e, env)


def genuine_mismatch(f, g, env_f, env_g):
    """Called when the 60-digit values of f and g disagree. Re-evaluates at 300 and 600 digits so that
    cancellation noise is not reported: the mismatch is genuine if it persists at 300 digits and the
    difference is stable between 300 and 600 digits. Returns (bool, value_f, value_g)."""
    a3, b3 = ev_prec(f, env_f, 300), ev_prec(g, env_g, 300)
    with mpmath.workdps(300):
        if abs(a3 - b3) <= mpmath.mpf(10) ** -40 * max(1, abs(a3), abs(b3)):
            return False, a3, b3
    a6, b6 = ev_prec(f, env_f, 600), ev_prec(g, env_g, 600)
    with mpmath.workdps(600):
        d3, d6 = a3 - b3, a6 - b6
        if abs(d3 - d6) > mpmath.mpf(10) ** -8 * abs(d6):
            return False, a6, b6
    return True, a6, b6


# ---------------------------------------------------------------- parsing bounds output
def parse_bounds(text, names):
    """names: bounds name -> sympy Symbol. Returns an unevaluated SymPy expression."""
    from sympy.parsing.sympy_parser import parse_expr, standard_transformations
    loc = dict(names)
    loc.update({'exp': exp, 'log': log, 'sqrt': lambda a, evaluate=False: Pow(a, Rational(1, 2), evaluate=False),
                'min': Min, 'max': Max, 'binom': binomial, 'abs': Abs, 'e': E, 'pi': pi})
    s = text.replace('^', '**')
    return parse_expr(s, local_dict=loc, transformations=standard_transformations, evaluate=False)
