#!/bin/sh
# swiftc's time and peak memory for one table literal in a file, by shape: N four-tuples
# (Int, Int, Int, Double) against N plain Doubles. Why generated files store large tables packed or
# as flat arrays (GenerationLimits, README "Decisions"). Usage: Benchmarks/generation-limits/swiftc-literals.sh
# (needs GNU time at /usr/bin/time). Raw output: swiftc-literals-2026-12-07.txt.
set -e
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
python3 - <<'PY'
for n in [500, 1000, 2000]:
    rows = ",\n".join("(%d, %d, %d, %d.5)" % (i % 64, i // 64, i % 7, i) for i in range(n))
    open(f"t{n}.swift", "w").write("enum T { static let t: [(Int, Int, Int, Double)] = [\n" + rows + "\n] }\nprint(T.t.count)\n")
for n in [20000, 100000]:
    rows = ", ".join("%d.25" % i for i in range(n))
    open(f"d{n}.swift", "w").write("enum T { static let t: [Double] = [\n" + rows + "\n] }\nprint(T.t.count)\n")
PY
swiftc --version 2>&1 | head -1
uptime
for f in t500 t1000 t2000 d20000 d100000; do
  /usr/bin/time -f "$f %e s %M KB" swiftc -swift-version 6 -O $f.swift -o $f 2>&1 | tail -1
done
