"""Measures one registration model on a set's held-out pairs with the same code
for every model (CONVENTIONS.md), and writes results/NAME-SET.json and .md.

    python evaluate.py --set data/real-64 --identity
    python evaluate.py --set data/real-64 --peer weights/gradicon-real-64.pt
    python evaluate.py --set data/real-64 --archsynth PATH/TO/archsynth --model model.json --name carl

A model is an adapter: register(fixed, moving) -> displacement u (2, H, W) in
pixels with moving(x + u(x)) ~ fixed(x).
  --identity               u = 0 (baseline)
  --peer WEIGHTS           GradICON / ConstrICON weights written by peer.py, run in-process
  --archsynth BIN --model M   one subprocess per registration:
                           BIN register --model M --fixed A.npy --moving B.npy -o field.npy

Metrics, per held-out pair (each pair is registered in both directions):
  dice     DICE of the moving mask warped by u_AB (bilinear, > 0.5) against the fixed mask
  epe      mean ||u_AB - u_true|| (px), where the set stores a true displacement
  folds    fraction of pixels with det grad Phi_AB < 0 (central differences, periodic)
  ic       mean ||Phi_AB(Phi_BA(x)) - x|| (px), periodic sampling
  folds_interior, ic_clamped   secondary, for maps that are not periodic or leave the
           image (the peers', built on icon_registration's clamped 'border' sampling):
           folds over interior pixels without wrapping, and the inverse-consistency
           residual with u_AB sampled at clamped coordinates, without wrapping
  ic_native  peers only: the residual as icon_registration composes its own transforms
           (functions of coordinates; peers.native_inverse_consistency)
  mse      mean squared difference of the warped moving image and the fixed image
  seconds  wall time of one registration (for --archsynth: the whole process)
Differences of displacements (epe, ic) are taken modulo the image size (each
component in [-N/2, N/2)), the nearest periodic representative.
Shift test (CARL): for --shift-pairs pairs evenly spaced in the held-out list, roll the moving image
and its mask by s px along both axes, s = 0, step, ..., N/2, register, and
report DICE and EPE against u_true + s.
"""

import os

# Before torch loads OpenMP: on a shared, oversubscribed machine, OpenMP threads
# that spin while waiting make 2-thread torch many times slower than with
# passive waiting (README.md, "OpenMP"; results/omp-wait/).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import hashlib
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

import regcommon as rc

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- adapters

class IdentityAdapter:
    name = "identity"

    def describe(self):
        return {"adapter": "identity", "description": "u = 0"}

    def register(self, fixed, moving):
        return np.zeros((2,) + fixed.shape)


class PeerAdapter:
    def __init__(self, weights, threads):
        import torch
        torch.set_num_threads(threads)
        import peers
        self.peers = peers
        self.net, self.state = peers.load(weights)
        self.name = self.state["peer"]
        self.weights = weights

    def describe(self):
        import torch
        from importlib.metadata import version
        info = {"adapter": "peer", "peer": self.state["peer"], "similarity": self.state["similarity"],
                "lmbda": self.state["lmbda"], "weights": os.path.relpath(self.weights, HERE),
                "weights_sha256": sha256(self.weights),
                "versions": {"torch": torch.__version__, "icon_registration": version("icon_registration"),
                             "torchvision_import": self.peers.TORCHVISION_STATUS}}
        stem = os.path.splitext(os.path.basename(self.weights))[0]
        train_record = os.path.join(HERE, "results", f"train-{stem}.json")
        if os.path.exists(train_record):
            with open(train_record) as f:
                t = json.load(f)
            info["training"] = {k: t[k] for k in ("set", "pairs_seen", "batch", "steps", "wall_seconds",
                                                  "seconds_per_pair", "command")}
        return info

    def register(self, fixed, moving):
        return self.peers.displacement(self.net, fixed, moving)

    def native_ic(self, fixed, moving):
        return self.peers.native_inverse_consistency(self.net, fixed, moving)


class ArchsynthAdapter:
    """A thin subprocess call of the documented command line."""

    def __init__(self, binary, model, extra):
        self.binary = binary
        self.model = model
        self.extra = extra
        self.name = "archsynth-" + os.path.splitext(os.path.basename(model))[0]
        self.tmp = tempfile.mkdtemp(prefix="archsynth-eval-")

    def describe(self):
        return {"adapter": "archsynth", "binary": self.binary, "model": self.model,
                "model_sha256": sha256(self.model), "binary_sha256": sha256(shutil.which(self.binary) or self.binary),
                "command": [self.binary, "register", "--model", self.model, "--fixed", "A.npy",
                            "--moving", "B.npy", "-o", "field.npy"] + self.extra}

    def register(self, fixed, moving):
        a = os.path.join(self.tmp, "fixed.npy")
        b = os.path.join(self.tmp, "moving.npy")
        out = os.path.join(self.tmp, "field.npy")
        rc.save_npy(a, fixed)
        rc.save_npy(b, moving)
        if os.path.exists(out):
            os.remove(out)
        cmd = [self.binary, "register", "--model", self.model, "--fixed", a, "--moving", b, "-o", out] + self.extra
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"evaluate.py: `{' '.join(cmd)}` exited {proc.returncode}:\n{proc.stderr}")
        u = np.load(out).astype(np.float64)
        if u.shape != (2,) + fixed.shape:
            raise SystemExit(f"evaluate.py: {out} has shape {u.shape}, expected {(2,) + fixed.shape}")
        return u

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------- measuring

def timed(adapter, fixed, moving):
    start = time.perf_counter()
    u = adapter.register(fixed, moving)
    return u, time.perf_counter() - start


def load_pair(p):
    out = {k: np.load(p[k]).astype(np.float64) for k in
           ("fixed", "moving", "fixed_mask", "moving_mask", "displacement") if k in p}
    out["source"] = p.get("source")
    return out


def measure_pair(adapter, pair):
    fixed, moving = pair["fixed"], pair["moving"]
    u_ab, t_ab = timed(adapter, fixed, moving)
    u_ba, t_ba = timed(adapter, moving, fixed)
    m = {"folds": rc.fold_fraction(u_ab), "ic": rc.inverse_consistency(u_ab, u_ba),
         "folds_interior": rc.fold_fraction_interior(u_ab), "ic_clamped": rc.inverse_consistency_clamped(u_ab, u_ba),
         "mse": float(np.mean((rc.warp(moving, u_ab) - fixed) ** 2)),
         "seconds": (t_ab + t_ba) / 2}
    if hasattr(adapter, "native_ic"):
        m["ic_native"] = adapter.native_ic(fixed, moving)
    if "fixed_mask" in pair:
        m["dice"] = rc.dice(rc.warped_mask(pair["moving_mask"], u_ab), pair["fixed_mask"] > 0.5)
    if "displacement" in pair:
        m["epe"] = rc.end_point_error(u_ab, pair["displacement"])
    if pair.get("source"):
        m["source"] = pair["source"]
    return m


def shift_test(adapter, pairs, step):
    size = pairs[0]["fixed"].shape[0]
    shifts = list(range(0, size // 2 + 1, step))
    rows = []
    for s in shifts:
        dices, epes = [], []
        for pair in pairs:
            moving = np.roll(pair["moving"], (s, s), axis=(0, 1))
            u, _ = timed(adapter, pair["fixed"], moving)
            if "fixed_mask" in pair:
                mask = np.roll(pair["moving_mask"], (s, s), axis=(0, 1))
                dices.append(rc.dice(rc.warped_mask(mask, u), pair["fixed_mask"] > 0.5))
            if "displacement" in pair:
                # moving_s(x) = moving(x - s), so moving_s(x + u + s) = fixed(x).
                epes.append(rc.end_point_error(u, pair["displacement"] + s))
        row = {"shift": s}
        if dices:
            row["dice"] = float(np.mean(dices))
        if epes:
            row["epe"] = float(np.mean(epes))
        rows.append(row)
        print(f"  shift {s:3d}: " + " ".join(f"{k} {v:.4f}" for k, v in row.items() if k != "shift"), flush=True)
    return rows


def summarize(per_pair):
    keys = [k for k in ("dice", "epe", "folds", "ic", "folds_interior", "ic_clamped", "ic_native", "mse", "seconds")
            if k in per_pair[0]]
    return {k: {"mean": float(np.mean([p[k] for p in per_pair])),
                "std": float(np.std([p[k] for p in per_pair])),
                "median": float(np.median([p[k] for p in per_pair]))} for k in keys}


def markdown(record):
    s = record["summary"]
    lines = [f"# {record['model']} on {record['set']}", "",
             f"{record['pairs']} held-out pairs; command: `{record['command']}`", "",
             "| metric | mean | std | median |", "|---|---|---|---|"]
    for k, v in s.items():
        lines.append(f"| {k} | {v['mean']:.4f} | {v['std']:.4f} | {v['median']:.4f} |")
    lines += ["", f"Shift test ({record['shift_pairs']} pairs, moving rolled by s px along both axes):", "",
              "| s | " + " | ".join(k for k in record["shift_test"][0] if k != "shift") + " |",
              "|---|" + "---|" * (len(record["shift_test"][0]) - 1)]
    for row in record["shift_test"]:
        lines.append(f"| {row['shift']} | " + " | ".join(f"{v:.4f}" for k, v in row.items() if k != "shift") + " |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", required=True)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--identity", action="store_true")
    group.add_argument("--peer", metavar="WEIGHTS")
    group.add_argument("--archsynth", metavar="BIN")
    parser.add_argument("--model", help="model.json for --archsynth")
    parser.add_argument("--archsynth-arg", action="append", default=[],
                        help="extra argument appended to every `register` call (repeatable)")
    parser.add_argument("--name", help="model name in the results file names")
    parser.add_argument("--limit", type=int, default=None, help="only the first N held-out pairs")
    parser.add_argument("--shift-pairs", type=int, default=8)
    parser.add_argument("--shift-step", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--results", default=os.path.join(HERE, "results"))
    args = parser.parse_args()

    if args.identity:
        adapter = IdentityAdapter()
    elif args.peer:
        adapter = PeerAdapter(args.peer, args.threads)
    else:
        if not args.model:
            parser.error("--archsynth needs --model model.json")
        adapter = ArchsynthAdapter(args.archsynth, args.model, args.archsynth_arg)
    name = args.name or adapter.name
    set_name = os.path.basename(os.path.normpath(args.set))

    pairs = [load_pair(p) for p in rc.load_pairs(args.set)]
    if args.limit:
        pairs = pairs[:args.limit]
    start = time.perf_counter()
    per_pair = []
    for i, pair in enumerate(pairs):
        per_pair.append(measure_pair(adapter, pair))
        if i % 8 == 0:
            print(f"pair {i + 1}/{len(pairs)}: " + json.dumps(per_pair[-1]), flush=True)
    print("shift test", flush=True)
    shift_pairs = [pairs[int(i)] for i in np.unique(np.linspace(0, len(pairs) - 1, min(args.shift_pairs, len(pairs))).round())]
    shifts = shift_test(adapter, shift_pairs, args.shift_step)
    total = time.perf_counter() - start
    if hasattr(adapter, "close"):
        adapter.close()

    from importlib.metadata import version
    record = {
        "model": name, "set": set_name, "pairs": len(pairs), "shift_pairs": len(shift_pairs),
        "shift_step": args.shift_step, "command": " ".join(["python"] + [os.path.basename(sys.argv[0])] + sys.argv[1:]),
        "model_info": adapter.describe(), "evaluation_seconds": total,
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": version("scipy"),
                     "platform": platform.platform()},
        "summary": summarize(per_pair), "shift_test": shifts, "per_pair": per_pair,
    }
    os.makedirs(args.results, exist_ok=True)
    stem = os.path.join(args.results, f"{name}-{set_name}")
    with open(stem + ".json", "w") as f:
        json.dump(record, f, indent=1)
    with open(stem + ".md", "w") as f:
        f.write(markdown(record))
    print(markdown(record))
    print(f"wrote {stem}.json and {stem}.md ({total:.1f}s)")


if __name__ == "__main__":
    main()
