"""Plots the shift test of every model evaluated in results/ (one SVG per set):
DICE (and end-point error, where the set has a true displacement) against the
shift s of the moving image.

    python plot.py [--results results]     -> results/shift-SET.svg
"""

import argparse
import glob
import json
import os

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def load(results):
    by_set = {}
    for path in sorted(glob.glob(os.path.join(results, "*.json"))):
        if os.path.basename(path).startswith("train-"):
            continue
        with open(path) as f:
            record = json.load(f)
        if "shift_test" in record:
            by_set.setdefault(record["set"], []).append(record)
    return by_set


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", default=os.path.join(HERE, "results"))
    args = parser.parse_args()
    plt.rcParams["svg.hashsalt"] = "archsynth-registration"
    for set_name, records in sorted(load(args.results).items()):
        metrics = [m for m in ("dice", "epe") if any(m in r["shift_test"][0] for r in records)]
        fig, axes = plt.subplots(1, len(metrics), figsize=(5 * len(metrics), 3.6), squeeze=False)
        for ax, metric in zip(axes[0], metrics):
            for record in sorted(records, key=lambda r: r["model"]):
                rows = [row for row in record["shift_test"] if metric in row]
                ax.plot([row["shift"] for row in rows], [row[metric] for row in rows], marker="o",
                        markersize=3, label=record["model"])
            ax.set_xlabel("shift of the moving image s (px, both axes)")
            ax.set_ylabel({"dice": "DICE (warped moving mask)", "epe": "end-point error (px)"}[metric])
            ax.grid(alpha=0.3)
        axes[0][0].legend(fontsize=8)
        pairs = records[0]["shift_pairs"]
        fig.suptitle(f"Shift test on {set_name} ({pairs} held-out pairs)")
        fig.tight_layout()
        out = os.path.join(args.results, f"shift-{set_name}.svg")
        fig.savefig(out, metadata={"Date": None})
        plt.close(fig)
        print(f"wrote {out} ({', '.join(sorted(r['model'] for r in records))})")


if __name__ == "__main__":
    main()
