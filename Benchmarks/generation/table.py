"""Markdown tables from Benchmarks/generation/compare.sh's raw output: per case the median over
rounds of the old and new forward/backward times and compile times, and new/old ratios
(below 1: the new file is faster). Usage: python3 table.py RAW.txt"""
import statistics, sys
from collections import defaultdict

times = defaultdict(list)   # (side, name, what) -> values
order, lines = [], {}
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    if line.startswith("# old lines:") or line.startswith("# new lines:"):
        side = line.split()[1]
        for item in line.split(":", 1)[1].split(";"):
            parts = item.split()
            if len(parts) == 2 and parts[1].endswith(".swift"):
                lines[(side, parts[1][:-6])] = int(parts[0])
        continue
    if line.startswith("#") or not line:
        continue
    f = line.split("\t")
    side, kind = f[0], f[2]
    if kind == "throughput":
        name = f[3]
        times[(side, name, "fwd")].append(float(f[5]))
        times[(side, name, "bwd")].append(float(f[6]))
        times[(side, name, "check")].append(float(f[7]))
    elif kind == "compile":
        name = f[3]
        times[(side, name, "compile")].append(float(f[5]))
    else:
        continue
    if name not in order:
        order.append(name)

def med(side, name, what):
    v = times[(side, name, what)]
    return statistics.median(v) if v else float("nan")

print("| file | lines old → new | fwd µs old / new (new/old) | bwd µs old / new (new/old) | compile user s old / new (new/old) |")
print("|---|---|---|---|---|")
for name in order:
    row = [name, f"{lines.get(('old', name), '?')} → {lines.get(('new', name), '?')}"]
    for what, fmt in (("fwd", "{:.1f}"), ("bwd", "{:.1f}"), ("compile", "{:.2f}")):
        o, n = med("old", name, what), med("new", name, what)
        row.append(f"{fmt.format(o)} / {fmt.format(n)} ({n / o:.2f})")
    print("| " + " | ".join(row) + " |")
for name in order:
    o, n = times[("old", name, "check")], times[("new", name, "check")]
    if o and n and abs(o[0] - n[0]) > 1e-3 * max(1.0, abs(o[0])):
        print(f"\nWARNING: {name}: old and new outputs differ ({o[0]} vs {n[0]})")
