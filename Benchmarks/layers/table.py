#!/usr/bin/env python3
"""Markdown tables from the raw output of Benchmarks/layers/run.sh (a file or stdin).

Per case and side (base, portable, wide) the median over rounds of the forward and backward
times, and three ratios, each formed within a round and then the median over rounds:
  portable / base   this checkout's portable build against the base commit's (<= 1: no slower);
  × sgemm           generated time / numpy-OpenBLAS sgemm time on the materialized W of the same
                    round (issue 23's goals: dense within 2× wide and 4× portable; every structured
                    form below 1×).
"""
import statistics, sys
from collections import defaultdict

gen = defaultdict(dict)      # (name, side, what) -> {round: µs}
sgemm = defaultdict(dict)    # (name, what) -> {round: µs}
labels, order = {}, []
for line in (open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin):
    f = line.rstrip("\n").split("|")
    if f[0] == "gen":
        _, rnd, side, name, label, n, din, dout, fw, bw = f
        if name not in labels:
            order.append(name)
        labels[name] = f"{label}"
        gen[(name, side, "fwd")][rnd] = float(fw)
        gen[(name, side, "bwd")][rnd] = float(bw)
    elif f[0] == "sgemm":
        _, rnd, name, fw, bw = f
        sgemm[(name, "fwd")][rnd] = float(fw)
        sgemm[(name, "bwd")][rnd] = float(bw)


def med(d):
    return statistics.median(d.values()) if d else float("nan")


def ratio(num, den):
    rs = [num[r] / den[r] for r in num if r in den]
    return statistics.median(rs) if rs else float("nan")


print("| layer (batch 64) | pass | µs base / portable / wide | portable / base | × sgemm portable | × sgemm wide | sgemm µs |")
print("|---|---|---|---|---|---|---|")
for name in order:
    for what in ("fwd", "bwd"):
        b, p, w = (gen[(name, s, what)] for s in ("base", "portable", "wide"))
        s = sgemm[(name, what)]
        print(f"| {labels[name]} | {what} | {med(b):.1f} / {med(p):.1f} / {med(w):.1f} | {ratio(p, b):.2f} | "
              f"{ratio(p, s):.2f}× | {ratio(w, s):.2f}× | {med(s):.1f} |")
