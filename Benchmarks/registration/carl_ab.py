#!/usr/bin/env python3
"""Before/after in one run: the carl training step of two archsynth binaries, alternately.

Runs `archsynth train registration --template carl` (the model and images of torch_twin.py, whose
`time_archsynth` does each measurement) with the BASE and HEAD binaries in alternation, `--rounds`
times (the order flips every round), for every --precision and --threads, and prints one JSON
object: every round with the load average before and after it, the best round per binary and
configuration, and HEAD / BASE ratios (best against best, and the median of the per-round ratios)
in wall time per pair (from the per-step progress lines, after the warm-up) and in CPU time per
pair (the run's CPU minus that of a run of the warm-up alone; on one thread the figure least
affected by other load). Also the page faults of each whole process (ru_minflt).
Usage: carl_ab.py --base OLD/archsynth --head NEW/archsynth [--rounds 5] [--threads 1 2]
"""
import argparse
import json
import os
import statistics
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_twin  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True, help="the archsynth binary before the change")
    p.add_argument("--head", required=True, help="the archsynth binary after the change")
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--steps", type=int, default=12)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    p.add_argument("--precision", nargs="+", choices=["float", "double"], default=["float", "double"])
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args()
    binaries = {"base": args.base, "head": args.head}
    report = {"setup": vars(args), "cores": os.cpu_count(), "rounds": []}
    for r in range(args.rounds):
        entry = {"load_before": os.getloadavg(), "runs": []}
        order = ["base", "head"] if r % 2 == 0 else ["head", "base"]
        for t in args.threads:
            for precision in args.precision:
                for name in order:
                    ns = argparse.Namespace(archsynth=binaries[name], size=args.size, batch=args.batch, steps=args.steps,
                                            warmup=args.warmup, archsynth_arg=[])
                    run = torch_twin.time_archsynth(ns, t, precision)
                    run["binary"] = name
                    entry["runs"].append(run)
        entry["load_after"] = os.getloadavg()
        report["rounds"].append(entry)
        print(json.dumps(entry), file=sys.stderr, flush=True)

    def per_round(name, t, dtype, key):
        return [x[key] for e in report["rounds"] for x in e["runs"] if x["binary"] == name and x["threads"] == t and x["dtype"] == dtype]

    summary = {}
    for t in args.threads:
        for precision in args.precision:
            dtype = torch_twin.DTYPE[precision]
            row = {}
            for key, label in (("seconds_per_pair", "wall"), ("cpu_seconds_per_pair", "cpu")):
                base, head = per_round("base", t, dtype, key), per_round("head", t, dtype, key)
                row[f"{label}_ms_per_pair_base"] = [round(1e3 * v, 3) for v in base]
                row[f"{label}_ms_per_pair_head"] = [round(1e3 * v, 3) for v in head]
                row[f"{label}_best_ratio_head_over_base"] = min(head) / min(base)
                row[f"{label}_median_round_ratio_head_over_base"] = statistics.median(h / b for h, b in zip(head, base))
            row["page_faults_base"] = per_round("base", t, dtype, "page_faults_whole_process")
            row["page_faults_head"] = per_round("head", t, dtype, "page_faults_whole_process")
            summary[f"{dtype} {t} thread(s)"] = row
    report["summary"] = summary
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
