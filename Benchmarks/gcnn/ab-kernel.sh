#!/usr/bin/env bash
# The lattice kernel before and after the im2col change, in one run (no escnn): the runtime of BASE
# (default 78fb6f7, the old kernel: one product per grid row and stencil offset) against this
# checkout's, each compiled with swiftc -O $SWIFTFLAGS, on the C4 and D4 64x64 layers of run.sh
# (batch 16, 2 threads). The generated files differ only in how the Float kernel is made from the
# Double one, so the old side's file is this binary's output with that line put back.
# Usage: [BASE=rev] [SWIFTFLAGS="-target-cpu native -D ARCHSYNTH_WIDE_SIMD"] Benchmarks/gcnn/ab-kernel.sh ARCHSYNTH_BINARY
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(realpath "${1:?give the archsynth binary}")
base=${BASE:-78fb6f7}
flags=${SWIFTFLAGS:-}
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "# A/B lattice kernel (swiftc -O $flags); old = $base runtime, new = $(git rev-parse --short HEAD); $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$work/old-src"
git archive "$base" Sources/ArchSynthRuntime | tar -x -C "$work/old-src"
for side in old new; do
  src="$work/old-src/Sources/ArchSynthRuntime"; [ "$side" = new ] && src="$root/Sources/ArchSynthRuntime"
  mkdir -p "$work/rt-$side"
  swiftc -O $flags -swift-version 6 -parse-as-library -module-name ArchSynthRuntime -emit-library -static -emit-module \
    -emit-module-path "$work/rt-$side/ArchSynthRuntime.swiftmodule" -o "$work/rt-$side/libArchSynthRuntime.a" $(find "$src" -name '*.swift' | sort)
  for n in C4 D4; do
    spec=wallpaper:p4:64x64; [ "$n" = D4 ] && spec=wallpaper:p4m:64x64
    d="$work/$side-$n"; mkdir -p "$d"
    "$bin" generate layer "$spec" --in '8*field(regular)' --out '8*field(regular)' --support 5 --name Layer -o "$d/Layer.swift" > /dev/null
    if [ "$side" = old ]; then
      sed -i 's/return (SteerableLatticeConvolution.Kernel(rounding: d), d)/return (SteerableLatticeConvolution.Kernel(weights: d.weights.map(Float.init), transposed: d.transposed.map(Float.init), bias: d.bias.map(Float.init)), d)/' "$d/Layer.swift"
    fi
    cp Benchmarks/gcnn/LatticeBench.swift "$d/main.swift"
    swiftc -O $flags -swift-version 6 -module-name Bench -I "$work/rt-$side" -L "$work/rt-$side" "$d/Layer.swift" "$d/main.swift" -lArchSynthRuntime -o "$d/bench"
  done
done
for n in C4 D4; do
  for side in old new; do
    echo "$side $n load_before=$(cut -d' ' -f1 /proc/loadavg) $("$work/$side-$n/bench" 16 2 5 2 0)"
  done
done
echo "# load after $(cut -d' ' -f1-3 /proc/loadavg)"
