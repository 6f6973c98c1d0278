#!/usr/bin/env python3
"""Markdown table from the raw output of Benchmarks/layers/run.sh (stdin or a file).

GFLOP/s are dense-equivalent: 2·batch·d_in·d_out per forward and twice that per backward
(dX = dY W and dW = dYᵀ X), whatever the kernel actually computes, so they compare throughput
on the same layer. "× sgemm" = sgemm time / generated time (above 1: faster than sgemm).
"""
import sys

lines = [l.rstrip("\n") for l in (open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin)]
header = None
print("| layer | batch | fwd µs | fwd GFLOP/s | fwd × sgemm | bwd µs | bwd GFLOP/s | bwd × sgemm | sgemm fwd / bwd µs | naive fwd / bwd µs | direct conv fwd µs (gen ×) |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for l in lines:
    if l.startswith("#") or "|" not in l:
        continue
    f = l.split("|")
    if f[0] == "case":
        header = f
        continue
    name, n, din, dout, gf, gb, nf, nb, dc, sf, sb = f
    n, din, dout, gf, gb = int(n), int(din), int(dout), float(gf), float(gb)
    flops = 2.0 * n * din * dout
    def ratio(other, mine):
        return "-" if other == "-" else f"{float(other) / mine:.2f}×"
    conv = "-" if dc == "-" else f"{float(dc):.0f} ({float(dc) / gf:.2f}×)"
    print(f"| {name} | {n} | {gf:.1f} | {flops / gf / 1e3:.1f} | {ratio(sf, gf)} | {gb:.1f} | {2 * flops / gb / 1e3:.1f} | {ratio(sb, gb)} | "
          f"{sf} / {sb} | {nf} / {nb} | {conv} |")
