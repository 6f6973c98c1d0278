"""Writes the group spec of the translations of a periodic N x N grid (C_N x C_N acting on the
N^2 points by permutations, representation "grid"). Usage: python3 torus.py N OUT.json"""
import json, sys

n, out = int(sys.argv[1]), sys.argv[2]
a = [((i + 1) % n) * n + j for i in range(n) for j in range(n)]
b = [i * n + (j + 1) % n for i in range(n) for j in range(n)]
json.dump({"name": f"Torus{n}", "description": f"translations of a periodic {n} x {n} grid", "order": str(n * n),
           "generators": ["a", "b"], "relators": [f"a^{n}", f"b^{n}", "a*b*a^-1*b^-1"],
           "representations": {"grid": {"permutation": {"a": a, "b": b}}}}, open(out, "w"))
