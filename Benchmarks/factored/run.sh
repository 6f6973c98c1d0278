#!/usr/bin/env bash
# Bases kept factored (W = P_out (⊕ K_p) P_in; issue 12): wall time and peak memory of `basis` and
# of `generate layer --verify` on dicyclic12's quaternion^k (d = 4^k), and the compile time of the
# generated file as a user's package builds it (swiftc -O library, Swift 6, warnings as errors).
# Prints the load average before each step. Usage: Benchmarks/factored/run.sh (after `swift build -c release`).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$PWD/.build/release/archsynth
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "# factored bases; $(git rev-parse --short HEAD); $(date -u +%FT%TZ); $(nproc) cores; $(swiftc --version 2>&1 | head -1)"
step() {  # label, command...
  local label=$1; shift
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -o "$work/time.txt" -f "%e %M" "$@" > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; exit 1; }
  read -r wall rss < "$work/time.txt"
  echo "$label	load_before=$load	wall_s=$wall	max_rss_mb=$((rss / 1024))"
  grep -E "^(dimension|biasDimension|certificate|factored):|^wrote|^strategy" "$work/out.txt" | cut -c1-200 | sed 's/^/    /' || true
}
for k in 4 5; do
  step "basis quaternion^$k" "$bin" basis dicyclic12 --in "quaternion^$k" --out "quaternion^$k"
done
# A large irreducible (M24's 252-dimensional one in points²): its commutant comes from the sketched system.
step "basis M24 points^2 -> points --factored" "$bin" basis M24 --in 'points^2' --out points --factored
step "generate layer quaternion^5 --verify" "$bin" generate layer dicyclic12 --in 'quaternion^5' --out 'quaternion^5' \
  --name Q5 -o "$work/Q5.swift" --verify
echo "    source_bytes=$(wc -c < "$work/Q5.swift")"
step "swiftc -O Q5.swift (library)" swiftc -O -parse-as-library -emit-library -warnings-as-errors -swift-version 6 \
  -module-name Q5 -o "$work/libQ5.so" "$work/Q5.swift"
