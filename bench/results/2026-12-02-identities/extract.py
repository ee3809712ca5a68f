"""Extract `assert <input> == <expected>` pairs from SymPy test files.

Each test module is parsed with `ast`; every `assert A == B` (or `A is B`) is
rewritten into a call that records the pair instead of checking it:
  * if A is a call of a simplification function (powsimp(e, ...), e.expand(), ...)
    the recorded input is the evaluated first argument e (or the receiver);
  * otherwise the recorded input is A itself built under evaluate(False), so
    that e.g. `assert exp(log(x)) == x` keeps the unevaluated left-hand side.
The expected side B is evaluated normally.  Decorators (XFAIL, slow, ...) are
stripped so every test body runs; each test function has a time limit.
Output: raw.jsonl with srepr() of both sides plus file/line/test name.
"""
import ast, json, os, sys, signal, traceback
import sympy
from sympy import Basic, Expr
from sympy.core.parameters import evaluate

SIMPLIFIERS = {
    'simplify', 'powsimp', 'powdenest', 'radsimp', 'ratsimp', 'cancel', 'together',
    'expand', 'expand_log', 'expand_power_base', 'expand_power_exp', 'expand_mul',
    'expand_multinomial', 'expand_func', 'logcombine', 'factor', 'factor_terms',
    'combsimp', 'gammasimp', 'sqrtdenest', 'signsimp', 'collect', 'collect_sqrt',
    'collect_const', 'rad_rationalize', 'apart', 'separatevars', 'exptrigsimp',
    '_mexpand', 'rcollect', 'gcd_terms', 'powsimp_',
    'trigsimp', 'expand_trig', 'hyperexpand', 'doit',
    'horner', 'simplify_log',
    'expand_complex', 'radsimp_', 'split_surds', '_sqrtdenest0', 'sqrtdenest_',
}
METHOD_SIMPLIFIERS = {'simplify', 'expand', 'factor', 'cancel', 'together', 'ratsimp',
                      'radsimp', 'powsimp', 'collect', 'doit', 'as_expr', 'trigsimp',
                      'expand_log', 'logcombine', 'rewrite', 'factor_terms', 'gcd_terms', 'expand_func', 'powdenest', 'nsimplify_'}

RECORDS = []
CUR = {}


def _rec(line, kind, inp_f, exp_f, plain):
    try:
        if plain:
            with evaluate(False):
                inp = inp_f()
        else:
            inp = inp_f()
        exp = exp_f()
    except BaseException as ex:  # noqa
        if isinstance(ex, TimeoutError):
            raise
        return
    try:
        inp = sympy.sympify(inp)
        exp = sympy.sympify(exp)
    except Exception:
        return
    if not (isinstance(inp, Expr) and isinstance(exp, Expr)):
        return
    try:
        RECORDS.append(dict(file=CUR['file'], line=line, test=CUR['test'], kind=kind,
                            lhs=sympy.srepr(inp), rhs=sympy.srepr(exp),
                            lhs_str=str(inp), rhs_str=str(exp)))
    except Exception:
        pass


def _rec_other(line):
    return None


class _Guard:
    """Per-statement guard: time limit, and errors are swallowed."""
    def __enter__(self):
        signal.signal(signal.SIGALRM, _timeout)
        signal.alarm(15)
    def __exit__(self, et, ev, tb):
        signal.alarm(0)
        if et is not None and et is TimeoutError:
            print('  stmt timeout', CUR['test'], file=sys.stderr)
        if et is not None and issubclass(et, Exception):
            print("  stmt-exc", CUR["test"], et.__name__, str(ev)[:60], file=sys.stderr)
        return et is not None and issubclass(et, Exception)


PLAIN_FUNCS = {'Min', 'Max', 'exp', 'log', 'sqrt', 'root', 'cbrt', 'binomial', 'Abs', 'Rational', 'S',
               'Integer', 'Pow', 'Mul', 'Add', 'real_root'}
BAD_KW = {'modulus', 'gaussian', 'extension', 'domain'}


def _plain_ok(node):
    """The left side of a plain assert must be pure expression construction."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            if not (isinstance(sub.func, ast.Name) and sub.func.id in PLAIN_FUNCS):
                return False
            if any(k.arg != 'evaluate' for k in sub.keywords):
                return False
        elif isinstance(sub, (ast.Subscript, ast.Lambda, ast.ListComp, ast.GeneratorExp, ast.Compare,
                              ast.BoolOp, ast.IfExp, ast.Dict, ast.List, ast.Set, ast.Tuple)):
            return False
        elif isinstance(sub, ast.Attribute) and not (isinstance(sub.value, ast.Name) and sub.value.id == 'S'):
            return False
    return True


def _is_simp_call(node):
    if isinstance(node, ast.Call) and any(k.arg in BAD_KW for k in node.keywords):
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == 'nthroot' \
            and len(node.args) == 2:
        return 'nthroot', ast.Call(func=ast.Name('__root', ast.Load()), args=node.args, keywords=[])
    if isinstance(node, ast.Call):
        f = node.func
        if isinstance(f, ast.Name) and f.id in SIMPLIFIERS and node.args:
            return f.id, node.args[0]
        if isinstance(f, ast.Attribute) and f.attr in METHOD_SIMPLIFIERS:
            return '.' + f.attr, f.value
        if isinstance(f, ast.Attribute) and f.attr in SIMPLIFIERS and node.args:
            return f.attr, node.args[0]
    return None


def _lam(e):
    return ast.Lambda(args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]), body=e)


class T(ast.NodeTransformer):
    depth = 0

    def visit_FunctionDef(self, node):
        node.decorator_list = []
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1
        if self.depth == 0 and node.name.startswith('test_'):
            body = []
            for st in node.body:
                w = ast.With(items=[ast.withitem(context_expr=ast.Call(func=ast.Name('__guard', ast.Load()), args=[], keywords=[]))], body=[st])
                body.append(ast.copy_location(w, st))
            node.body = body
        return node

    def _one(self, t, lineno):
        if not (isinstance(t, ast.Compare) and len(t.ops) == 1 and isinstance(t.ops[0], (ast.Eq, ast.Is))):
            return None
        left, right = t.left, t.comparators[0]
        if _is_simp_call(right) and not _is_simp_call(left):
            left, right = right, left
        kind, inp, plain = 'plain', left, True
        # fraction(radsimp(X)) == (n, d)  ->  X == n/d
        if (isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and left.func.id == 'fraction'
                and left.args and isinstance(right, ast.Tuple) and len(right.elts) == 2):
            inner = _is_simp_call(left.args[0])
            kind, inp, plain = ('fraction+' + inner[0], inner[1], False) if inner else ('fraction', left.args[0], False)
            right = ast.BinOp(left=right.elts[0], op=ast.Div(), right=right.elts[1])
        else:
            sc = _is_simp_call(left)
            if sc:
                kind, inp = sc
                plain = False
            elif isinstance(left, ast.Call) and any(k.arg in BAD_KW for k in left.keywords):
                return None
            elif not _plain_ok(left):
                return None
        call = ast.Call(func=ast.Name('__rec', ast.Load()),
                        args=[ast.Constant(lineno), ast.Constant(kind), _lam(inp), _lam(right), ast.Constant(plain)],
                        keywords=[])
        return ast.Expr(call)

    def visit_Assert(self, node):
        t = node.test
        tests = t.values if isinstance(t, ast.BoolOp) and isinstance(t.op, ast.And) else [t]
        out = [self._one(x, node.lineno) for x in tests]
        out = [o for o in out if o is not None]
        if not out:
            return ast.copy_location(ast.Pass(), node)
        return [ast.copy_location(o, node) for o in out]


def _timeout(signum, frame):
    raise TimeoutError()


def run_file(path, rel):
    src = open(path).read()
    tree = ast.parse(src)
    tree = T().visit(tree)
    ast.fix_missing_locations(tree)
    code = compile(tree, path, 'exec')
    g = {'__name__': 'extracted_' + os.path.basename(path)[:-3], '__rec': _rec, '__guard': _Guard, '__root': lambda a, n: sympy.root(a, n), '__file__': path}
    CUR['file'] = rel
    CUR['test'] = '<module>'
    try:
        exec(code, g)
    except Exception:
        traceback.print_exc()
        return
    for name, fn in list(g.items()):
        if name.startswith('test_') and callable(fn):
            CUR['test'] = name
            n0 = len(RECORDS)
            signal.signal(signal.SIGALRM, _timeout)
            signal.alarm(300)
            try:
                fn()
            except TimeoutError:
                print('  timeout', name, file=sys.stderr)
            except BaseException as ex:  # noqa
                print('  error', name, type(ex).__name__, str(ex)[:80], file=sys.stderr)
            finally:
                signal.alarm(0)


if __name__ == '__main__':
    root = os.path.dirname(os.path.dirname(sympy.__file__))
    files = sys.argv[1:]
    for rel in files:
        n0 = len(RECORDS)
        run_file(os.path.join(root, rel), rel)
        print(rel, len(RECORDS) - n0, file=sys.stderr)
    with open('/tmp/identities/raw.jsonl', 'w') as f:
        for r in RECORDS:
            f.write(json.dumps(r) + '\n')
    print('total', len(RECORDS), file=sys.stderr)
