"""Identities that SymPy's tests check through a helper function rather than a direct
`assert a == b` (test_miscellaneous.py::test_rewrite_as_Abs checks e == e.rewrite(Abs))."""
import json, sympy
from sympy import Min, Max, Abs, srepr
from sympy.abc import x, y, z, w
F = 'sympy/functions/elementary/tests/test_miscellaneous.py'
with open('/tmp/identities/raw.jsonl', 'a') as f:
    for line, e in [(447, Min(x, y)), (448, Max(x, y)), (449, Min(x, y, z)), (450, Min(Max(w, x), Max(y, z)))]:
        a = e.rewrite(Abs)
        f.write(json.dumps(dict(file=F, line=line, test='test_rewrite_as_Abs', kind='.rewrite(Abs) via helper',
                                lhs=srepr(e), rhs=srepr(a), lhs_str=str(e), rhs_str=str(a))) + '\n')
