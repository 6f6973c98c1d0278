#!/usr/bin/env bash
# Compile time of generated layers with large tables (issue 7 item 5): generates each layer with the
# release `archsynth`, then compiles it as a user's package would (swiftc -O, library, Swift 6,
# warnings as errors) and prints wall and CPU seconds with the machine's load before each compile.
# Usage: Benchmarks/compile-times/run.sh   (after `swift build -c release`)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=.build/release/archsynth
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "# compile times of generated tables; $(git rev-parse --short HEAD); $(date -u +%FT%TZ); $(nproc) cores; $(swiftc --version 2>&1 | head -1)"
while IFS='|' read -r name args; do
  # shellcheck disable=SC2086
  eval "$bin generate layer $args --name $name -o $work/$name.swift" >/dev/null
  entries=$(wc -c < "$work/$name.swift")
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -o "$work/time.txt" -f "%e %U %S" swiftc -O -parse-as-library -emit-library -warnings-as-errors \
    -swift-version 6 -module-name "$name" -o "$work/lib$name.so" "$work/$name.swift"
  read -r wall user sys < "$work/time.txt"
  echo "$name	source_bytes=$entries	load_before=$load	wall_s=$wall	user_s=$user	sys_s=$sys	args: $args"
done <<'LIST'
C16Dense|'cyclic:16' --in 'natural^2' --out 'natural^2'
C32Dense|'cyclic:32' --in 'natural^2' --out 'natural^2'
C44Dense|'cyclic:44' --in 'natural^2' --out 'natural^2'
Conv64|'cyclic:64 x cyclic:64' --in '8*regular' --out '8*regular' --support 3
LIST
