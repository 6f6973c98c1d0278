#!/usr/bin/env bash
# `archsynth verify` on generated lattice layers against the spec (every translation × point element
# where the group has at most --max-elements elements, else every point element with the zero, unit
# and random translations). Usage: Benchmarks/gcnn/verify.sh ARCHSYNTH_BINARY
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:?give the archsynth binary}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "# lattice verify; $(git rev-parse --short HEAD); $(date -u +%FT%TZ); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
while IFS='|' read -r name spec fin fout support extra; do
  [ -z "$name" ] && continue
  "$bin" generate layer "$spec" --in "$fin" --out "$fout" --support "$support" --name "$name" -o "$work/$name.swift" > /dev/null
  echo "## $name: archsynth verify $name.swift --spec $spec --in '$fin' --out '$fout' $extra"
  start=$(date +%s)
  # shellcheck disable=SC2086
  "$bin" verify "$work/$name.swift" --spec "$spec" --in "$fin" --out "$fout" $extra 2>&1 || echo "exit status $?"
  echo "wall_s=$(( $(date +%s) - start ))"
done <<'LIST'
P4mLift8|wallpaper:p4m:8x8|field(trivial)|2*field(regular)|3|
P4Regular8|wallpaper:p4:8x8|2*field(regular)|2*field(regular)|3|
D4Regular16Sampled|wallpaper:p4m:16x16|2*field(regular)|2*field(regular)|5|--max-elements 40
P6mMixed5|wallpaper:p6m:5x5|field(point)|field(regular + pointSign)|3|
OhLift3|space:Oh:3x3x3|field(trivial)|field(regular)|3|
LIST
