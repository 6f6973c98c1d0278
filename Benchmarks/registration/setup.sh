#!/bin/sh
# Creates the Python environment of the registration benchmark from the pinned
# requirements.txt.  Usage (from anywhere):
#   Benchmarks/registration/setup.sh [VENV_DIR]      (default: Benchmarks/.venv)
# torch 2.13.0+cpu is taken from the local wheel folder (default /opt/wheels,
# override with WHEELS=DIR); nothing here touches the Swift package.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
VENV=${1:-"$HERE/../.venv"}
WHEELS=${WHEELS:-/opt/wheels}
PYTHON=${PYTHON:-python3}
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --find-links "$WHEELS" -r "$HERE/requirements.txt"
"$VENV/bin/python" - <<'PY'
import sys, numpy, scipy, skimage, torch, matplotlib
from importlib.metadata import version
print("python", sys.version.split()[0], "numpy", numpy.__version__, "scipy", scipy.__version__,
      "scikit-image", skimage.__version__, "torch", torch.__version__,
      "icon_registration", version("icon_registration"), "matplotlib", matplotlib.__version__)
PY
echo "done: $VENV"
