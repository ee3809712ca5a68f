#!/usr/bin/env python3
"""SymPy baseline for workload 1 (parse + simplify + LaTeX), run by `bounds-bench simplify`.

usage: sympy_simplify.py CORPUS BOUNDS_OUTPUTS LIMIT RUNS SIMPLIFY_COUNT CHECK_COUNT RESULT_JSON

What SymPy does per expression (a SymPy user's equivalent of `bounds`' canonical form):
  e = sympify(text, locals=SYMBOLS)   every symbol declared positive=True, e = E, min/max = Min/Max
  r = powsimp(expand(e))              expand: products of sums, integer powers of sums (multinomial), and,
                                      because the symbols are positive, log(x*y) -> log(x) + log(y) and
                                      log(x^p) -> p*log(x) and (x*y)^p -> x^p*y^p (expand's log/power_base
                                      hints honour assumptions: the same as expand_log(force=False));
                                      powsimp then recombines x^a*x^b -> x^(a+b) as bounds does.
  latex(r)
`bounds` does strictly more (it also cancels common polynomial factors of rational functions, which
expand does not), so this pipeline is the cheaper, conservative baseline. The catch-all a user might
reach for, simplify(e), is timed on the first SIMPLIFY_COUNT expressions as a second figure.
SymPy's cache is cleared before every timed run, so repeated runs do not measure cache hits.

Agreement: for CHECK_COUNT expressions spread over the corpus, the original, SymPy's result and the
bounds result (its text form, read back by sympify) are evaluated at 3 random positive points.
"""
import json, os, random, sys, time

# The clock bounds-bench asks for: process CPU time (default) or wall time (--wall).
clock = time.perf_counter if os.environ.get("BENCH_CLOCK") == "wall" else time.process_time

import sympy as sp
from sympy import E, Max, Min, binomial, expand, latex, powsimp, simplify, sympify

NAMES = ["beta", "d", "n", "N", "M", "k", "L", "l", "a", "b", "c", "x", "y", "s", "t",
         "eps", "delta", "m", "F", "theta"]
SYMBOLS = {name: sp.Symbol(name, positive=True) for name in NAMES}
LOCALS = dict(SYMBOLS)
LOCALS.update({"e": E, "min": Min, "max": Max, "binom": binomial, "exp": sp.exp, "log": sp.log,
               "sqrt": sp.sqrt, "pi": sp.pi})


def fingerprint(lines):
    h = 0xCBF29CE484222325
    for line in lines:
        for byte in line.encode("utf-8") + b"\n":
            h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def normalize(e):
    return powsimp(expand(e))


def timed_pass(lines, transform):
    sp.core.cache.clear_cache()
    t0 = clock()
    out = []
    for text in lines:
        e = sympify(text, locals=LOCALS)
        out.append(latex(transform(e)))
    return clock() - t0, out


def value(e, point):
    """The value at a point (exact substitution of 30-digit floats, then evalf); NaN if not real."""
    try:
        v = complex(e.xreplace({s: sp.Float(x, 30) for s, x in point.items()}).evalf(30))
    except (TypeError, ValueError):
        return float("nan")
    return v.real if abs(v.imag) <= 1e-12 * max(1.0, abs(v.real)) else float("nan")


def close(u, v):
    if u != u or v != v:
        return False
    return abs(u - v) <= 1e-8 * max(1.0, abs(u), abs(v))


def main():
    corpus_path, bounds_path, limit, runs, simplify_count, check_count, result_path = sys.argv[1:8]
    limit, runs, simplify_count, check_count = int(limit), int(runs), int(simplify_count), int(check_count)
    corpus = open(corpus_path, encoding="utf-8").read().split("\n")
    if corpus and corpus[-1] == "":
        corpus.pop()
    bounds_out = open(bounds_path, encoding="utf-8").read().split("\n")
    subset = corpus[:limit]

    sympy_times = []
    for _ in range(runs):
        t, _ = timed_pass(subset, normalize)
        sympy_times.append(t)
    simplify_time = None
    if simplify_count > 0:
        simplify_time, _ = timed_pass(corpus[:simplify_count], simplify)

    # Agreement on a spread-out sample.
    rng = random.Random(2026)
    step = max(1, len(corpus) // max(1, check_count))
    checked = agree = sympy_self = 0
    failures = []
    for i in range(0, len(corpus), step)[:check_count]:
        original = sympify(corpus[i], locals=LOCALS)
        ours = normalize(original)
        theirs = sympify(bounds_out[i], locals=LOCALS)
        ok = ok_self = True
        for _ in range(3):
            point = {SYMBOLS[name]: rng.uniform(1.5, 4.0) for name in NAMES}
            u, v, w = value(original, point), value(ours, point), value(theirs, point)
            ok = ok and close(v, w)
            ok_self = ok_self and close(u, v)
        checked += 1
        agree += ok
        sympy_self += ok_self
        if not ok and len(failures) < 5:
            failures.append({"index": i, "input": corpus[i], "sympy": str(ours), "bounds": bounds_out[i]})

    json.dump({
        "fingerprint": fingerprint(corpus),
        "count": len(subset),
        "sympy_times": sympy_times,
        "simplify_count": simplify_count,
        "simplify_time": simplify_time,
        "checked": checked,
        "agree": agree,
        "sympy_self_agree": sympy_self,
        "failures": failures,
        "versions": {"python": sys.version.split()[0], "sympy": sp.__version__},
    }, open(result_path, "w"))


if __name__ == "__main__":
    main()
