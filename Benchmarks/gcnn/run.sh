#!/usr/bin/env bash
# Generated steerable lattice layers (issue 21): generation, compile time, forward/backward speed and
# equivariance of each layer, then the same layers in escnn (PyTorch CPU) in the same run.
# Usage: [ONLY="NAME …"] [ESCNN=0] [SWIFTFLAGS="…"] Benchmarks/gcnn/run.sh ARCHSYNTH_BINARY [PYTHON]
# (e.g. .build/release/archsynth; the binary only generates the files and times the basis solve in
# its process, `generate --timing`; the layers are compiled with swiftc -O as a user's package would).
# SWIFTFLAGS adds flags to the runtime's and the layers' compiles, e.g. the wide build of README
# "Wide vectors": SWIFTFLAGS="-target-cpu native -D ARCHSYNTH_WIDE_SIMD" (default: portable SSE2).
# Threads: 2 for both (THREADS=2 by default); batch 16; OMP_WAIT_POLICY=PASSIVE for PyTorch.
# RUNTIME_DIR=DIR reuses a runtime built by an earlier run (libArchSynthRuntime.a and the module);
# ONLY="NAME NAME" runs only those layers (the escnn side always runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:?give the archsynth binary}
python=${2:-/work/main/Benchmarks/.venv/bin/python}
threads=${THREADS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "# gcnn benchmark; $(git rev-parse --short HEAD); $(date -u +%FT%TZ); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(swiftc --version 2>&1 | head -1); swift flags: -O ${SWIFTFLAGS:-}"

# The runtime, built once (-O, as a package dependency would be); not part of the per-layer compile time.
start=$(date +%s.%N)
mkdir -p "$work/runtime"
if [ -n "${RUNTIME_DIR:-}" ]; then
  cp "$RUNTIME_DIR"/* "$work/runtime/"
  echo "runtime_reused_from=$RUNTIME_DIR"
else
swiftc -O ${SWIFTFLAGS:-} -swift-version 6 -parse-as-library -module-name ArchSynthRuntime -emit-library -static -emit-module \
  -emit-module-path "$work/runtime/ArchSynthRuntime.swiftmodule" -o "$work/runtime/libArchSynthRuntime.a" \
  $(find Sources/ArchSynthRuntime -name '*.swift' | sort)
echo "runtime_build_s=$(echo "$(date +%s.%N) - $start" | bc)"
fi

# name|spec|in|out|support|batch|reps|rotation generator index (the 90° rotation r)|check every point element (0: skip)
# --max-rep-dimension 10000000: the O_h lifting layer (4 regular fields on 32³) has dimension 6,291,456, above the
# default limit of 4,000,000.
# (skipped for the O_h layers: LatticeFieldType.act multiplies by the dense 48×48 ρ(p) at every
# voxel, 3·10⁸ multiply-adds per action on 4 regular fields, times 192 elements; the lattice
# verify runs cover O_h on 3×3×3 at every element)
while IFS='|' read -r name spec fin fout support batch reps rot check; do
  [ -z "$name" ] && continue
  if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]]; then continue; fi
  mkdir -p "$work/$name"
  start=$(date +%s.%N)
  "$bin" generate layer "$spec" --in "$fin" --out "$fout" --support "$support" --max-rep-dimension 10000000 --timing --name Layer -o "$work/$name/Layer.swift" > "$work/$name/generate.txt" 2> "$work/$name/timing.txt"
  gen=$(echo "$(date +%s.%N) - $start" | bc)
  # In-process times of the generate command (basis_solve_s: spec to solved stencil basis; total_s: to the written file).
  timing=$(sed -n 's/^timing: //p' "$work/$name/timing.txt")
  cp Benchmarks/gcnn/LatticeBench.swift "$work/$name/main.swift"
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -o "$work/$name/time.txt" -f "%e %U" swiftc -O ${SWIFTFLAGS:-} -swift-version 6 -module-name Bench -I "$work/runtime" -L "$work/runtime" \
    "$work/$name/Layer.swift" "$work/$name/main.swift" -lArchSynthRuntime -o "$work/$name/bench"
  read -r wall user < "$work/$name/time.txt"
  load_run=$(cut -d' ' -f1 /proc/loadavg)
  result=$("$work/$name/bench" "$batch" "$threads" "$reps" "$rot" "$check")
  echo "swift $name spec=$spec in=$fin out=$fout support=$support generate_process_s=$gen $timing compile_wall_s=$wall compile_user_s=$user load_before_compile=$load load_after_compile=$load_run load_after_run=$(cut -d' ' -f1 /proc/loadavg) source_bytes=$(wc -c < "$work/$name/Layer.swift") $result"
done <<'LIST'
C4_64|wallpaper:p4:64x64|8*field(regular)|8*field(regular)|5|16|5|2|1
D4_64|wallpaper:p4m:64x64|8*field(regular)|8*field(regular)|5|16|5|2|1
D4_128_reference|wallpaper:p4m:128x128|16*field(regular)|16*field(regular)|3|2|3|2|1
Oh_32_lift_reference|space:Oh:32x32x32|field(trivial)|4*field(regular)|3|2|3|3|0
Oh_32_regular_reference|space:Oh:32x32x32|2*field(regular)|2*field(regular)|3|2|2|3|0
LIST

# --clear-cache: escnn keeps Clebsch-Gordan coefficients on disk (escnn/group/_cache); emptied so its first construction is cold.
# ESCNN=0 skips the escnn side (the reference layers' compile-time run: Benchmarks/gcnn/reference.sh).
if [ "${ESCNN:-1}" != 0 ]; then
OMP_WAIT_POLICY=PASSIVE "$python" Benchmarks/gcnn/escnn_bench.py --threads "$threads" --clear-cache
fi
