#!/usr/bin/env bash
# Reproduces run-2proc-cpu.txt: generate SetNet.py, then train it with DDP on 2 CPU processes.
# Needs the archsynth binary (swift build -c release) and a python with torch ($ARCHSYNTH_PYTHON,
# or .ci/torch-venv, which prints one).
set -euo pipefail
export OMP_WAIT_POLICY=PASSIVE
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
python="${ARCHSYNTH_PYTHON:-$("$root/.ci/torch-venv")}"
archsynth="${ARCHSYNTH:-$root/.build/release/archsynth}"
cd "$here"
{
    echo "\$ archsynth generate network symmetric:5 --reps natural,8*natural,8*natural,trivial --name SetNet -o SetNet.py --target pytorch"
    "$archsynth" generate network symmetric:5 --reps natural,8*natural,8*natural,trivial --name SetNet -o SetNet.py --target pytorch
    echo "\$ OMP_WAIT_POLICY=PASSIVE python -m torch.distributed.run --nproc_per_node=2 train.py SetNet.py   # = torchrun --nproc_per_node=2"
    OMP_WAIT_POLICY=PASSIVE "$python" -m torch.distributed.run --nproc_per_node=2 train.py SetNet.py 2>&1
} | tee run-2proc-cpu.txt
