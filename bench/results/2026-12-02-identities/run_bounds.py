"""Stage B: run /tmp/bounds-final on every corpus pair (sequentially) and check soundness.

For pair i we run three processes, one after the other:
    simplify "(<lhs>) - (<rhs>)" --assume ...     -> recognised iff the output is exactly "0"
    simplify "(<lhs>)" --assume ...               -> canonical form of each side (soundness, and a
    simplify "(<rhs>)" --assume ...                  secondary measure: identical canonical forms)
Soundness: each canonical form is parsed back into SymPy and evaluated (real semantics, see common.py)
at random admissible points; it must agree with the expression it came from wherever both are defined.
With --extra, also canonicalises every other in-fragment expression found in the tests (sides of the
pairs dropped as trivial / not identities) for the same soundness check.
"""
import json, random, subprocess, sys, time
import mpmath
import sympy
from sympy import Symbol, Add, Mul, Integer
from common import Translator, Unsupported, Undefined, bounds_assumption, assumption_text, ev, sample, \
    close, parse_bounds, exact_rational, genuine_mismatch
from build_corpus import load

BIN = '/tmp/bounds-final'


def run(expr, assume):
    cmd = [BIN, 'simplify', expr]
    for a in assume:
        cmd += ['--assume', a]
    t0 = time.time()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        out, err, rc = p.stdout.strip(), p.stderr.strip(), p.returncode
    except subprocess.TimeoutExpired:
        out, err, rc = '', 'TIMEOUT', -1
    return dict(cmd=cmd, out=out, err=err, rc=rc, secs=round(time.time() - t0, 3))


def prepare(lhs_srepr, rhs_srepr):
    l, r = load(lhs_srepr), load(rhs_srepr)
    tr = Translator()
    free = sorted(l.free_symbols | r.free_symbols, key=lambda s: (s.name, str(s.assumptions0)))
    for s in free:
        tr.name(s)
    specs = {s: bounds_assumption(s) for s in free}
    return l, r, tr, specs


def soundness(orig, canon_text, tr, specs, rng, npts=30):
    """Compare canonical form with the original expression at admissible points.
    Returns dict(status=..., ...). status: ok | unsound | narrowing | parse-error | no-points."""
    names = {tr.names[s]: Symbol(tr.names[s]) for s in specs}
    try:
        c = parse_bounds(canon_text, names)
    except Exception as ex:
        return dict(status='parse-error', detail=str(ex)[:200])
    both = mism = narrow = 0
    first_bad = None
    first_narrow = None
    for _ in range(npts):
        vals = {s: sample(sp, rng) for s, sp in specs.items()}
        env_o = vals
        env_c = {names[tr.names[s]]: v for s, v in vals.items()}
        try:
            a = ev(orig, env_o)
            if not mpmath.isfinite(a):
                continue
        except (Undefined, ZeroDivisionError, OverflowError, ValueError):
            continue
        except Unsupported as ex:
            return dict(status='eval-unsupported', detail=str(ex))
        try:
            b = ev(c, env_c)
            if not mpmath.isfinite(b):
                raise Undefined('inf')
        except (Undefined, ZeroDivisionError, OverflowError, ValueError):
            narrow += 1
            if first_narrow is None:
                first_narrow = {tr.names[s]: mpmath.nstr(v, 10) for s, v in vals.items()}
            continue
        except Unsupported as ex:
            return dict(status='eval-unsupported', detail=str(ex))
        except KeyError as ex:
            return dict(status='unknown-symbol', detail=str(ex))
        both += 1
        try:
            bad = not close(a, b) and genuine_mismatch(orig, c, env_o, env_c)[0]
        except (Undefined, ZeroDivisionError, OverflowError, ValueError):
            continue
        if bad:
            mism += 1
            if first_bad is None:
                first_bad = dict(point={tr.names[s]: mpmath.nstr(v, 15) for s, v in vals.items()},
                                 original=mpmath.nstr(a, 15), canonical=mpmath.nstr(b, 15))
    if mism:
        return dict(status='unsound', points=both, mismatches=mism, example=first_bad)
    if narrow:
        return dict(status='narrowing', points=both, narrowed=narrow, example=first_narrow)
    if both == 0:
        return dict(status='no-points')
    return dict(status='ok', points=both)


def neg(e):
    return Mul(Integer(-1), e, evaluate=False)


def main():
    rng = random.Random(7)
    corpus = [json.loads(l) for l in open('/tmp/identities/corpus.jsonl')]
    out = open('/tmp/identities/results.jsonl', 'w')
    t0 = time.time()
    for i, row in enumerate(corpus):
        l, r, tr, specs = prepare(row['sympy_lhs'], row['sympy_rhs'])
        assert tr.tr(l) == row['lhs'] and tr.tr(r) == row['rhs']
        assume = row['assume']
        res = dict(id=row['id'])
        res['diff'] = run('(%s) - (%s)' % (row['lhs'], row['rhs']), assume)
        res['lhs'] = run('(%s)' % row['lhs'], assume)
        res['rhs'] = run('(%s)' % row['rhs'], assume)
        res['recognised'] = res['diff']['rc'] == 0 and res['diff']['out'] == '0'
        res['same_canon'] = res['lhs']['rc'] == 0 and res['lhs']['out'] == res['rhs']['out']
        d = Add(l, neg(r), evaluate=False)
        for key, orig in (('diff', d), ('lhs', l), ('rhs', r)):
            if res[key]['rc'] != 0:
                res[key]['sound'] = dict(status='bounds-error')
                continue
            res[key]['sound'] = soundness(orig, res[key]['out'], tr, specs, rng)
        # a nonzero *number* as the canonical form of a true identity's difference
        try:
            names = {tr.names[s]: Symbol(tr.names[s]) for s in specs}
            cd = parse_bounds(res['diff']['out'], names) if res['diff']['rc'] == 0 else None
            if cd is not None and not cd.free_symbols:
                v = sympy.N(cd, 60)
                if not res['recognised'] and v.is_number and abs(v) > sympy.Float('1e-40'):
                    res['diff']['nonzero_number'] = str(v)
                elif not res['recognised']:
                    res['diff']['numeric_unrecognised'] = True
        except Exception:
            pass
        out.write(json.dumps(res) + '\n')
        out.flush()
        if i % 50 == 0:
            print(i, round(time.time() - t0, 1), file=sys.stderr)
    out.close()


def extra():
    """Soundness sweep over the other in-fragment expressions of the raw records."""
    rng = random.Random(11)
    corpus = [json.loads(l) for l in open('/tmp/identities/corpus.jsonl')]
    seen = set()
    for row in corpus:
        seen.add((row['lhs'], tuple(row['assume'])))
        seen.add((row['rhs'], tuple(row['assume'])))
    out = open('/tmp/identities/results_extra.jsonl', 'w')
    n = 0
    for line in open('/tmp/identities/raw.jsonl'):
        rec = json.loads(line)
        try:
            l, r, tr, specs = prepare(rec['lhs'], rec['rhs'])
        except Exception:
            continue
        for side, e in (('lhs', l), ('rhs', r)):
            try:
                s = tr.tr(e)
            except (Unsupported, RecursionError):
                continue
            if len(s) > 1500:
                continue
            if not e.free_symbols and exact_rational(e) is not None:
                continue
            assume = []
            for sym in sorted(specs, key=lambda s: (s.name, str(s.assumptions0))):
                if sym in e.free_symbols:
                    assume += assumption_text(tr.names[sym], specs[sym])
            key = (s, tuple(assume))
            if key in seen:
                continue
            seen.add(key)
            res = run('(%s)' % s, assume)
            sub = {k: v for k, v in specs.items() if k in e.free_symbols}
            res['sound'] = soundness(e, res['out'], tr, sub, rng) if res['rc'] == 0 else dict(status='bounds-error')
            res.update(src='%s:%d' % (rec['file'], rec['line']), side=side, expr=s, assume=assume)
            out.write(json.dumps(res) + '\n')
            n += 1
    out.close()
    print('extra expressions', n, file=sys.stderr)


if __name__ == '__main__':
    if sys.argv[1:] == ['--extra']:
        extra()
    else:
        main()
