#!/bin/sh
# Which writes leave TemporaryDirectory.* / TemporaryItems folders in $TMPDIR? (issue 19, branch house)
# Usage: sh docs/results/tmpdir-probe/run.sh   (writes only below a fresh mktemp -d folder, removed at the end)
set -e
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "loadavg: $(cat /proc/loadavg)"
swiftc -version 2>&1 | head -1
mkdir "$work/tmp" "$work/out" "$work/drv"
swiftc -O "$here/main.swift" -o "$work/probe" 2>/dev/null
TMPDIR="$work/tmp" "$work/probe" "$work/out"
for cmd in --version -print-target-info; do
  TMPDIR="$work/drv" swiftc $cmd >/dev/null 2>&1 || true
  echo "swiftc $cmd: left in TMPDIR: $(ls -A "$work/drv" | tr '\n' ' ') [$(for d in "$work"/drv/*; do ls -A "$d"; done | tr '\n' ' ')]"
  rm -rf "$work"/drv/*
done
