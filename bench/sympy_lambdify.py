#!/usr/bin/env python3
"""numpy baseline for workload 3, run by `bounds-bench evaluate`.

usage: sympy_lambdify.py EXPRESSION PARAMS POINTS COLUMNS_F64 OUT_F64 RUNS RESULT_JSON

EXPRESSION is the bound in bounds' text form (read by sympify; e = E, min = Min), PARAMS its parameters
in column order. The columns are read from COLUMNS_F64 (little-endian doubles, one column after another),
f = lambdify(params, expr, modules="numpy") is timed on them RUNS times (after one warm-up call), and the
output of the last call is written to OUT_F64 for the agreement check. bounds-bench removes
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE from this process's environment (elementwise numpy does not call
BLAS; the BLAS numpy links is reported all the same).
"""
import json, os, sys, time

# The clock bounds-bench asks for: process CPU time (default) or wall time (--wall).
clock = time.perf_counter if os.environ.get("BENCH_CLOCK") == "wall" else time.process_time

import numpy as np
import sympy as sp


def blas_name():
    try:
        info = np.show_config(mode="dicts")
        blas = info.get("Build Dependencies", {}).get("blas", {})
        return "%s %s" % (blas.get("name", "?"), blas.get("version", ""))
    except Exception:  # older numpy
        return "unknown BLAS"


def main():
    text, params, points, columns_path, out_path, runs, result_path = sys.argv[1:8]
    names = params.split(",")
    points, runs = int(points), int(runs)
    symbols = {name: sp.Symbol(name, positive=True) for name in names}
    local = dict(symbols)
    local.update({"e": sp.E, "min": sp.Min, "max": sp.Max, "log": sp.log, "exp": sp.exp, "sqrt": sp.sqrt})
    expr = sp.sympify(text, locals=local)
    t0 = clock()
    f = sp.lambdify([symbols[n] for n in names], expr, modules="numpy")
    lambdify_time = clock() - t0
    data = np.fromfile(columns_path, dtype="<f8")
    columns = [data[i * points:(i + 1) * points] for i in range(len(names))]
    out = f(*columns)  # warm-up
    times = []
    for _ in range(runs):
        t0 = clock()
        out = f(*columns)
        times.append(clock() - t0)
    np.asarray(out, dtype="<f8").tofile(out_path)
    json.dump({"times": times, "lambdify_time": lambdify_time, "numpy": np.__version__, "blas": blas_name(),
               "source": str(expr)}, open(result_path, "w"))


if __name__ == "__main__":
    main()
