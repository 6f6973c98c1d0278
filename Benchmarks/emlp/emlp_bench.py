#!/usr/bin/env python3
"""EMLP 1.0.3 side of the solver benchmark (see BENCHMARKS.md).

Reads the cases written by `archsynth-bench emlp-inputs` (generator permutations,
0-based image lists; point i goes to p[i]), builds each group through EMLP's custom
group mechanism (an `emlp.groups.Group` subclass whose `discrete_generators` are the
permutation matrices P[p[i], i] = 1), and times the equivariant basis of
V**power >> V**power, each case in a fresh subprocess with a timeout.

Usage: emlp_bench.py INPUTS.json [--timeout SECONDS]     (one JSON object per line out)
       emlp_bench.py INPUTS.json --case ID                 (internal: one case)
"""
import json
import subprocess
import sys
import time


def run_case(case):
    import numpy as np
    from emlp.groups import Group
    from emlp.reps import V

    gens = []
    for images in case["generators"]:
        n = len(images)
        p = np.zeros((n, n))
        p[images, np.arange(n)] = 1.0
        gens.append(p)

    class ArchsynthBench(Group):
        def __init__(self, name, generators):
            self.discrete_generators = np.stack(generators)
            super().__init__(name)  # the name goes into repr, which EMLP uses as the cache key

    start = time.perf_counter()
    group = ArchsynthBench(case["id"], gens)
    rep = V(group) ** case["power"] if case["power"] > 1 else V(group)
    basis = (rep >> rep).equivariant_basis()
    basis = np.asarray(basis)  # wait for JAX's asynchronous dispatch to finish
    elapsed = time.perf_counter() - start
    return {"id": case["id"], "status": "ok", "wallSeconds": elapsed, "dimension": int(basis.shape[-1]),
            "expectedDimension": case["dimension"], "shape": list(basis.shape)}


def main():
    args = sys.argv[1:]
    with open(args[0]) as f:
        cases = json.load(f)["cases"]
    if "--case" in args:
        wanted = args[args.index("--case") + 1]
        print(json.dumps(run_case(next(c for c in cases if c["id"] == wanted))), flush=True)
        return
    timeout = float(args[args.index("--timeout") + 1]) if "--timeout" in args else 300.0
    for case in cases:
        start = time.perf_counter()
        try:
            proc = subprocess.run([sys.executable, __file__, args[0], "--case", case["id"]],
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            result = {"id": case["id"], "status": "timeout", "timeoutSeconds": timeout}
        else:
            lines = [l for l in proc.stdout.splitlines() if l.startswith("{")]
            if proc.returncode == 0 and lines:
                result = json.loads(lines[-1])
            else:
                tail = [l for l in proc.stderr.splitlines() if l.strip()][-3:]
                result = {"id": case["id"], "status": "failed", "returncode": proc.returncode,
                          "error": " / ".join(tail)[-400:]}
        result["processSeconds"] = time.perf_counter() - start
        if result.get("status") == "ok" and result["dimension"] != result["expectedDimension"]:
            result["status"] = "wrong dimension"
        print(json.dumps(result), flush=True)
        print(f"emlp {case['id']}: {result['status']} "
              f"{result.get('wallSeconds', result['processSeconds']):.2f} s", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
