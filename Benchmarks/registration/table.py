"""Collects every evaluation in results/ into one markdown table per set.

    python table.py [--results results]     -> results/summary.md

Columns: held-out means of DICE, end-point error (px), fraction of folded
pixels, inverse consistency (px), the two secondary non-periodic variants
(folds over interior pixels, inverse consistency with clamped sampling; see
evaluate.py; and for the peers the residual of icon's own composition),
warped-image MSE, seconds per registration;
the shift test's DICE/EPE at s = 0 and at the largest shift; and, for trained
models, the training pairs and wall time recorded by peer.py (or given to
evaluate.py's record).
"""

import argparse
import glob
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def fmt(value, digits=4):
    return "–" if value is None else f"{value:.{digits}f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", default=os.path.join(HERE, "results"))
    args = parser.parse_args()
    by_set = {}
    for path in sorted(glob.glob(os.path.join(args.results, "*.json"))):
        if os.path.basename(path).startswith("train-"):
            continue
        with open(path) as f:
            record = json.load(f)
        if "summary" in record:
            record["_file"] = os.path.basename(path)
            by_set.setdefault(record["set"], []).append(record)
    lines = ["# Registration benchmark: every model, the same held-out pairs and code", "",
             "Written by `python table.py` from the evaluate.py records in this folder "
             "(each record holds the command that produced it).", ""]
    for set_name, records in sorted(by_set.items()):
        n = records[0]["pairs"]
        lines += [f"## {set_name} ({n} held-out pairs)", "",
                  "| model | DICE | EPE px | folds | IC px | folds (interior) | IC clamped px | IC native px | MSE | s/registration "
                  "| shift DICE s=0 → max | shift EPE s=0 → max | training pairs | training wall s | record |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in sorted(records, key=lambda r: r["model"]):
            s = r["summary"]
            get = lambda k: s[k]["mean"] if k in s else None  # noqa: E731
            first, last = r["shift_test"][0], r["shift_test"][-1]
            shift_dice = f"{fmt(first.get('dice'), 3)} → {fmt(last.get('dice'), 3)} (s={last['shift']})"
            shift_epe = (f"{fmt(first.get('epe'), 2)} → {fmt(last.get('epe'), 2)}" if "epe" in first else "–")
            training = r["model_info"].get("training", {})
            lines.append(
                f"| {r['model']} | {fmt(get('dice'))} | {fmt(get('epe'), 3)} | {fmt(get('folds'), 5)} "
                f"| {fmt(get('ic'), 4)} | {fmt(get('folds_interior'), 5)} | {fmt(get('ic_clamped'), 4)} | {fmt(get('ic_native'), 4)} | {fmt(get('mse'))} | {fmt(get('seconds'), 4)} | {shift_dice} | {shift_epe} "
                f"| {training.get('pairs_seen', '–')} | {fmt(training.get('wall_seconds'), 0) if training else '–'} "
                f"| {r['_file']} |")
        lines.append("")
    out = os.path.join(args.results, "summary.md")
    with open(out, "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
