"""Stage A: raw.jsonl -> corpus.tsv (translated, in-fragment, numerically verified identities)."""
import json, random, sys, collections
import sympy
from sympy import *  # noqa  (for eval of srepr)
from sympy.core.parameters import evaluate
import mpmath
from common import (exact_rational, genuine_mismatch, Translator, Unsupported, Undefined, bounds_assumption, assumption_text, ev, sample,
                    close)

NS = {k: getattr(sympy, k) for k in dir(sympy)}
from sympy.core.numbers import (Half, One, NegativeOne, Zero, Exp1, Pi, ImaginaryUnit, Infinity,  # noqa
                                NegativeInfinity, ComplexInfinity, NaN)
NS.update(dict(Half=Half, One=One, NegativeOne=NegativeOne, Zero=Zero, Exp1=Exp1, Pi=Pi,
               ImaginaryUnit=ImaginaryUnit, Infinity=Infinity, NegativeInfinity=NegativeInfinity,
               ComplexInfinity=ComplexInfinity, NaN=NaN))


def load(s):
    with evaluate(False):
        return eval(s, NS)


def category(l, r):
    both = [l, r]
    has = lambda cls: any(x.has(cls) for x in both)
    pows = [p for x in both for p in x.atoms(Pow)]
    if has(Min) or has(Max) or has(Abs):
        return 'min/max'
    if has(binomial):
        return 'binomial'
    if has(log):
        return 'logs'
    if has(exp) or any(p.base is S.Exp1 for p in pows):
        return 'exp'
    def frac(p):
        q = exact_rational(p.exp) if not p.exp.free_symbols else None
        return q is not None and q.denominator != 1
    if any(frac(p) for p in pows):
        return 'radicals'
    if any(p.exp.free_symbols for p in pows):
        return 'powers'
    return 'rational functions'


def verify(l, r, specs, rng, tries=60, need=6):
    """Return ('true', n_points) / ('false', point) / ('undefined', n)."""
    ok = 0
    for t in range(tries):
        env = {s: sample(sp, rng) for s, sp in specs.items()}
        try:
            a = ev(l, env)
            b = ev(r, env)
        except Undefined:
            continue
        except (ZeroDivisionError, OverflowError, ValueError):
            continue
        if not (mpmath.isfinite(a) and mpmath.isfinite(b)):
            continue
        try:
            bad = not close(a, b) and genuine_mismatch(l, r, env, env)[0]
        except (Undefined, ZeroDivisionError, OverflowError, ValueError):
            continue
        if bad:
            return 'false', {str(k): mpmath.nstr(v, 8) for k, v in env.items()}, (mpmath.nstr(a, 12), mpmath.nstr(b, 12))
        ok += 1
        if ok >= need and t >= 8:
            break
    if ok >= 3 or (ok >= 1 and not specs):
        return 'true', ok, None
    return 'undefined', ok, None


def main():
    rng = random.Random(20241202)
    rows, dropped = [], collections.Counter()
    drop_rows = []
    seen = set()
    for line in open('/tmp/identities/raw.jsonl'):
        rec = json.loads(line)
        try:
            l = load(rec['lhs'])
            r = load(rec['rhs'])
        except Exception as ex:
            dropped['load error'] += 1
            continue
        tr = Translator()
        try:
            free = sorted(l.free_symbols | r.free_symbols, key=lambda s: (s.name, str(s.assumptions0)))
            for s in free:
                tr.name(s)
            specs = {s: bounds_assumption(s) for s in free}
            ls, rs = tr.tr(l), tr.tr(r)
        except Unsupported as ex:
            dropped['unsupported: ' + str(ex).split(' ')[0]] += 1
            continue
        except RecursionError:
            dropped['unsupported: deep'] += 1
            continue
        if ls == rs:
            dropped['trivial (identical sides)'] += 1
            continue
        if not (l.free_symbols or r.free_symbols) and exact_rational(l) is not None \
                and exact_rational(r) is not None:
            dropped['pure rational arithmetic'] += 1
            continue
        if len(ls) + len(rs) > 1500:
            dropped['too long'] += 1
            continue
        assume = []
        for s in free:
            assume += assumption_text(tr.names[s], specs[s])
        key = (ls, rs, tuple(assume))
        if key in seen:
            dropped['duplicate'] += 1
            continue
        seen.add(key)
        try:
            verdict, info, vals = verify(l, r, specs, rng)
        except Unsupported:
            dropped['unsupported in eval'] += 1
            continue
        except RecursionError:
            dropped['unsupported: deep'] += 1
            continue
        if verdict != 'true':
            dropped['not verified: ' + verdict] += 1
            drop_rows.append((verdict, ls, rs, ' ; '.join(assume), '%s:%d' % (rec['file'], rec['line']),
                              json.dumps(info), json.dumps(vals)))
            continue
        rows.append(dict(lhs=ls, rhs=rs, assume=assume, src='%s:%d' % (rec['file'], rec['line']),
                         test=rec['test'], kind=rec['kind'], cat=category(l, r),
                         names={v: k.name for k, v in tr.names.items()},
                         specs={tr.names[s]: sp for s, sp in specs.items()},
                         sympy_lhs=rec['lhs'], sympy_rhs=rec['rhs']))
    with open('/tmp/identities/corpus.tsv', 'w') as f:
        f.write('id\tlhs\trhs\tassumptions\tsource\ttest\tsympy_call\tcategory\n')
        for i, r in enumerate(rows):
            f.write('%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' % (i, r['lhs'], r['rhs'], ' ; '.join(r['assume']),
                                                        r['src'], r['test'], r['kind'], r['cat']))
    with open('/tmp/identities/corpus.jsonl', 'w') as f:
        for i, r in enumerate(rows):
            r['id'] = i
            f.write(json.dumps(r) + '\n')
    with open('/tmp/identities/dropped_unverified.tsv', 'w') as f:
        f.write('verdict\tlhs\trhs\tassumptions\tsource\tpoint\tvalues\n')
        for d in drop_rows:
            f.write('\t'.join(d) + '\n')
    print('kept', len(rows))
    for k, v in dropped.most_common():
        print('  dropped %-40s %d' % (k, v))
    print(collections.Counter(r['cat'] for r in rows))
    print(collections.Counter(r['src'].split(':')[0].split('/')[-1] for r in rows))


if __name__ == '__main__':
    main()
