"""Checks that two evaluate.py records hold the same metrics (timings aside),
e.g. fake_archsynth.py's zero field against the identity baseline.

    python same_metrics.py results/identity-real-64.json results/smoke-archsynth/fake-zero-real-64.json
"""

import json
import sys


def strip(pairs):
    return [{k: v for k, v in p.items() if k != "seconds"} for p in pairs]


def main():
    with open(sys.argv[1]) as f:
        a = json.load(f)
    with open(sys.argv[2]) as f:
        b = json.load(f)
    checks = {
        "per-pair metrics": strip(a["per_pair"]) == strip(b["per_pair"]),
        "shift test": a["shift_test"] == b["shift_test"],
        "pairs": a["pairs"] == b["pairs"],
    }
    for name, ok in checks.items():
        print(f"{name}: {'identical' if ok else 'DIFFERENT'}")
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
