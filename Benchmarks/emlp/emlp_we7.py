#!/usr/bin/env python3
"""EMLP 1.0.3 on W(E7), reflection (7) -> weights (56): the case of issue 12 (BENCHMARKS.md).

The group is given to EMLP by the seven 7x7 reflection matrices of
Benchmarks/inputs/WE7.json (root basis, not orthogonal); the 56-dimensional action on the
weights is a custom `Rep` whose rho maps each generator matrix to its 56x56 permutation
matrix (the generators are involutions, so rho of an inverse is never asked for; rho of
anything else raises). Times `(V >> Weights).equivariant_basis()` in a fresh process: the
"first solve", JAX compilation included. One JSON object on stdout.

Usage: emlp_we7.py Benchmarks/inputs/WE7.json
"""
import json
import sys
import time


def main():
    import numpy as np
    from emlp.groups import Group
    from emlp.reps import V
    from emlp.reps.representation import Rep

    spec = json.load(open(sys.argv[1]))
    names = spec["generators"]
    refl = [np.array(spec["representations"]["reflection"]["matrix"][g], dtype=float) for g in names]
    perms = []
    for g in names:
        images = spec["representations"]["weights"]["permutation"][g]
        n = len(images)
        p = np.zeros((n, n))
        p[images, np.arange(n)] = 1.0
        perms.append(p)

    class WE7(Group):
        def __init__(self):
            self.discrete_generators = np.stack(refl)
            super().__init__()

        def __str__(self):
            return "WE7"

        def __repr__(self):
            return "WE7"

    class Weights(Rep):
        is_permutation = False

        def __init__(self, G):
            self.G = G

        def rho(self, M):
            M = np.asarray(M)
            for r, p in zip(refl, perms):
                if M.shape == r.shape and np.allclose(M, r):
                    return p
            raise ValueError("rho asked for an element that is not a generator")

        def size(self):
            return 56

        def __str__(self):
            return "Weights56"

        def __hash__(self):
            return hash("Weights56")

        def __eq__(self, other):
            return isinstance(other, Weights)

    start = time.perf_counter()
    G = WE7()
    rep = V(G) >> Weights(G)
    basis = np.asarray(rep.equivariant_basis())
    elapsed = time.perf_counter() - start
    print(json.dumps({"id": "WE7-reflection-weights", "status": "ok", "wallSeconds": elapsed,
                      "dimension": int(basis.shape[-1]), "expectedDimension": 1, "shape": list(basis.shape)}))


if __name__ == "__main__":
    main()
