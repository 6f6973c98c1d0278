"""Trains icon-registration's GradICON or ConstrICON on a benchmark set, on CPU
with 2 threads, for a budget of image pairs.

    python peer.py --peer gradicon --set data/triangles-64 --pairs 8192
    python peer.py --peer constricon --set data/real-64 --pairs 8192 --similarity lncc

Pairs are drawn as CONVENTIONS.md says (within a train/ sub-folder when there
are sub-folders), batch by batch, from a seeded numpy generator; the budget
counts every (A, B) pair the network is trained on (steps x batch; the ICON
losses also use the swapped pair internally, which is not counted again).
Writes weights/PEER-SET.pt (gitignored) and results/train-PEER-SET.json with
the budget, the wall time, the time per pair, the loss curve and the versions.
"""

import os

# Before torch loads OpenMP: on a shared, oversubscribed machine, OpenMP threads
# that spin while waiting make 2-thread torch many times slower than with
# passive waiting (README.md, "OpenMP"; results/omp-wait/).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import json
import platform
import sys
import time

import numpy as np
import torch

import peers
import regcommon as rc

HERE = os.path.dirname(os.path.abspath(__file__))


def default_similarity(set_dir):
    return "ssd" if os.path.basename(os.path.normpath(set_dir)).startswith("triangles") else "lncc"


def versions():
    return {"python": sys.version.split()[0], "torch": torch.__version__,
            "torchvision": _dist_version("torchvision"), "torchvision_import": peers.TORCHVISION_STATUS,
            "numpy": np.__version__, "icon_registration": _dist_version("icon_registration"),
            "platform": platform.platform()}


def _dist_version(name):
    from importlib.metadata import version
    return version(name)


class PairSampler:
    def __init__(self, set_dir, seed):
        groups = rc.list_train_groups(set_dir)
        self.groups = [np.stack([np.load(p) for p in g]).astype(np.float32) for g in groups]
        self.rng = np.random.default_rng(seed)

    def batch(self, size):
        a, b = [], []
        for _ in range(size):
            g = self.groups[self.rng.integers(len(self.groups))]
            i, j = self.rng.choice(len(g), size=2, replace=False)
            a.append(g[i])
            b.append(g[j])
        return torch.from_numpy(np.stack(a))[:, None], torch.from_numpy(np.stack(b))[:, None]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peer", choices=["gradicon", "constricon"], required=True)
    parser.add_argument("--set", required=True, help="a set folder written by make_data.py")
    parser.add_argument("--pairs", type=int, default=8192, help="training budget in image pairs")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--similarity", choices=["ssd", "lncc"], default=None,
                        help="default: ssd for triangles-*, lncc otherwise")
    parser.add_argument("--lmbda", type=float, default=None, help="default: peers.SETTINGS")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--weights", default=os.path.join(HERE, "weights"))
    parser.add_argument("--results", default=os.path.join(HERE, "results"))
    parser.add_argument("--name", default=None, help="default: PEER-SETNAME")
    parser.add_argument("--checkpoint-every", type=int, default=0,
                        help="also save NAME-pPAIRS.pt (and its record) every this many pairs")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    sim = args.similarity or default_similarity(args.set)
    lmbda = args.lmbda if args.lmbda is not None else peers.SETTINGS[(args.peer, sim)]["lmbda"]
    set_name = os.path.basename(os.path.normpath(args.set))
    name = args.name or f"{args.peer}-{set_name}"

    sampler = PairSampler(args.set, args.seed)
    size = sampler.groups[0].shape[-1]
    net = peers.build(args.peer, sim, size, lmbda, batch=args.batch)
    net.train()
    optimizer = torch.optim.Adam(net.regis_net.parameters(), lr=args.lr)

    steps = (args.pairs + args.batch - 1) // args.batch
    curve = []
    start = time.perf_counter()
    for step in range(steps):
        image_a, image_b = sampler.batch(args.batch)
        optimizer.zero_grad()
        loss = net(image_a, image_b)
        loss.all_loss.backward()
        optimizer.step()
        values = [float(torch.mean(torch.as_tensor(v).detach().float())) for v in loss]
        curve.append([step] + values)
        if step % 20 == 0 or step == steps - 1:
            elapsed = time.perf_counter() - start
            print(f"step {step + 1}/{steps} pairs {(step + 1) * args.batch} "
                  f"{dict(zip(loss._fields, (round(v, 5) for v in values)))} {elapsed:.1f}s", flush=True)
        pairs_so_far = (step + 1) * args.batch
        if args.checkpoint_every and pairs_so_far % args.checkpoint_every == 0 and step != steps - 1:
            save(args, net, name + f"-p{pairs_so_far}", sim, lmbda, size, step + 1,
                 time.perf_counter() - start, curve, loss._fields, set_name)
    wall = time.perf_counter() - start
    weights_path = save(args, net, name, sim, lmbda, size, steps, wall, curve, loss._fields, set_name)
    pairs_seen = steps * args.batch
    print(f"trained {name}: {pairs_seen} pairs in {wall:.1f}s ({wall / pairs_seen * 1000:.1f} ms/pair); "
          f"weights {weights_path}")


def save(args, net, name, sim, lmbda, size, steps, wall, curve, fields, set_name):
    """Weights to weights/NAME.pt, the training record to results/train-NAME.json."""
    pairs_seen = steps * args.batch
    os.makedirs(args.weights, exist_ok=True)
    os.makedirs(args.results, exist_ok=True)
    weights_path = os.path.join(args.weights, name + ".pt")
    torch.save({"peer": args.peer, "similarity": sim, "lmbda": lmbda, "size": size,
                "regis_net": net.regis_net.state_dict()}, weights_path)
    record = {
        "model": name, "peer": args.peer, "set": set_name, "similarity": sim, "lmbda": lmbda,
        "optimizer": f"Adam lr={args.lr}", "batch": args.batch, "steps": steps,
        "pairs_budget": args.pairs, "pairs_seen": pairs_seen, "seed": args.seed,
        "threads": args.threads, "wall_seconds": wall, "seconds_per_pair": wall / pairs_seen,
        "parameters": sum(p.numel() for p in net.regis_net.parameters()),
        "command": " ".join(["python"] + sys.argv), "versions": versions(),
        "loss_fields": ["step"] + list(fields), "loss_curve": curve[:steps],
    }
    with open(os.path.join(args.results, f"train-{name}.json"), "w") as f:
        json.dump(record, f, indent=1)
    return weights_path


if __name__ == "__main__":
    main()
