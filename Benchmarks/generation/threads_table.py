"""The Markdown table of Benchmarks/generation/threads.sh's raw output: per case, batch and pass,
the range over rounds of BASE's single-thread time, this runtime's time on 1 and 2 threads (µs),
the wall speed-up 1 → 2 and the critical-path estimate, and this runtime's single-thread time over
BASE's (best / best; below 1: faster). Usage: python3 threads_table.py RAW.txt"""
import sys
from collections import defaultdict

base, head, order = defaultdict(list), defaultdict(list), []
same = defaultdict(set)
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if line.startswith("#") or len(f) < 6 or f[1] not in ("base", "head"):
        continue
    side, key = f[1], (f[2], int(f[3]), f[4])
    if side == "base":
        base[key].append(float(f[5]))
    elif side == "head":
        head[key].append(tuple(float(v) for v in f[5:9]))
        same[key].add(f[9])
    if key not in order:
        order.append(key)

def span(values, digits=3):
    lo, hi = min(values), max(values)
    fmt = lambda v: f"{v:.{digits}g}"
    return fmt(lo) if fmt(lo) == fmt(hi) else f"{fmt(lo)}–{fmt(hi)}"

print("| case | batch | pass | base 1 thread (µs) | 1 thread (µs) | 2 threads (µs) | wall speed-up 1 → 2 | critical-path estimate | 1 thread / base (best) | same results |")
print("|---|---|---|---|---|---|---|---|---|---|")
for key in order:
    h = head[key]
    b = base[key]
    ratio = min(x[0] for x in h) / min(b) if b else float("nan")
    print(f"| {key[0]} | {key[1]} | {key[2]} | {span(b)} | {span([x[0] for x in h])} | {span([x[1] for x in h])} | "
          f"{span([x[2] for x in h], 2)}× | {span([x[3] for x in h], 2)}× | {ratio:.2f} | {'/'.join(sorted(same[key]))} |")
