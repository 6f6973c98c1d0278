#!/usr/bin/env python3
"""Training time per image pair: archsynth's CARL-style template against the same model in PyTorch.

Issue 20 asks that archsynth's time per image pair seen be within 2x of PyTorch on CPU "for a
model of the same size". This script builds that model in PyTorch, layer for layer as
`CarlRegistration` (Sources/ArchSynthRuntime/Registration/CarlRegistration.swift) composes it:

  moving, fixed (N x N) --avg-pool f--> coarse images --shared periodic conv net (depth, C, k x k,
  ReLU between layers)--> F^A, F^B --coordinate attention (softmax_y <F^B(x), F^A(y)> / tau,
  resultants of e^{2 pi i y / n} per axis)--> 4 coarse resultant planes --bilinear periodic
  upsampling--> 4 fine planes; then `refine` times: Phi = circular coordinates of the planes,
  warped = moving(Phi) (bilinear, periodic), d = periodic conv net (refine depth, refine channels,
  3 x 3) on (warped, fixed), planes <- planes warped by id + d.
  Loss: mean (moving(Phi) - fixed)^2 + lambda * mean |grad u|^2 (periodic forward differences of
  the wrapped displacement), Adam.

It times `--steps` training steps of `--batch` pairs (after `--warmup` steps) with
torch.set_num_threads(T) for each T in --threads, then, in the same run, `archsynth train
registration` with the same sizes for the same number of pairs on ARCHSYNTH_THREADS=T (seconds per
pair from its per-step progress lines, after the same warm-up), `--rounds` times alternately, and
prints one JSON object with every round, the best round per configuration and the ratios of the
best rounds (archsynth in each of --archsynth-precision, `train registration --precision float|double`,
against torch in the same dtype), in wall time and in CPU time (process CPU for torch;
for archsynth the CPU time of the run minus that of a run of the warm-up alone). On one thread the
CPU time is the load-independent figure; on two, only wall time shows the speed-up. The images are random smooth fields (timing only).
"""
import argparse
import json
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def periodic_sample(image, coords):
    """image (B, C, H, W) sampled at coords (B, 2, Ho, Wo) in pixels (row, col): bilinear, indices mod H, W."""
    b, c, h, w = image.shape
    ho, wo = coords.shape[2], coords.shape[3]
    y, x = coords[:, 0], coords[:, 1]
    y0, x0 = torch.floor(y), torch.floor(x)
    wy, wx = (y - y0).unsqueeze(1), (x - x0).unsqueeze(1)
    y0 = y0.long() % h
    x0 = x0.long() % w
    y1, x1 = (y0 + 1) % h, (x0 + 1) % w
    flat = image.reshape(b, c, h * w)

    def gather(yy, xx):
        idx = (yy * w + xx).reshape(b, 1, ho * wo).expand(b, c, ho * wo)
        return torch.gather(flat, 2, idx).reshape(b, c, ho, wo)

    return ((1 - wy) * ((1 - wx) * gather(y0, x0) + wx * gather(y0, x1))
            + wy * ((1 - wx) * gather(y1, x0) + wx * gather(y1, x1)))


class PeriodicConvNet(torch.nn.Module):
    def __init__(self, cin, hidden, cout, depth, k):
        super().__init__()
        widths = [cin] + [hidden] * (depth - 1) + [cout]
        self.layers = torch.nn.ModuleList(
            torch.nn.Conv2d(widths[i], widths[i + 1], k, padding=k // 2, padding_mode="circular") for i in range(depth))

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = F.relu(x)
        return x


class CarlTwin(torch.nn.Module):
    def __init__(self, size, pool, channels, depth, stencil, temperature, refine, refine_channels, refine_depth):
        super().__init__()
        self.size, self.pool, self.temperature, self.refine = size, pool, temperature, refine
        self.features = PeriodicConvNet(1, channels, channels, depth, stencil)
        self.refiners = torch.nn.ModuleList(
            PeriodicConvNet(2, refine_channels, 2, refine_depth, 3) for _ in range(refine))
        n = size // pool
        grid = torch.arange(n, dtype=torch.float64)
        rows, cols = torch.meshgrid(grid, grid, indexing="ij")
        angle = 2 * math.pi / n
        self.register_buffer("phase", torch.stack([torch.cos(angle * rows), torch.sin(angle * rows),
                                                   torch.cos(angle * cols), torch.sin(angle * cols)]).reshape(4, n * n))
        fine = torch.arange(size, dtype=torch.float64)
        fr, fc = torch.meshgrid(fine, fine, indexing="ij")
        self.register_buffer("identity", torch.stack([fr, fc]).unsqueeze(0))
        # coarse cell centres in fine pixels: upsampling samples the coarse planes at (x - (f-1)/2)/f
        self.register_buffer("up", ((self.identity - (pool - 1) / 2) / pool))

    def coordinates(self, z):
        n = self.size
        row = torch.atan2(z[:, 1], z[:, 0]) * n / (2 * math.pi)
        col = torch.atan2(z[:, 3], z[:, 2]) * n / (2 * math.pi)
        return torch.stack([row, col], 1)

    def forward(self, moving, fixed):
        b = moving.shape[0]
        fa = self.features(F.avg_pool2d(moving, self.pool)).flatten(2)   # (B, C, n²)
        fb = self.features(F.avg_pool2d(fixed, self.pool)).flatten(2)
        attention = torch.softmax(torch.bmm(fb.transpose(1, 2), fa) / self.temperature, dim=2)  # (B, x, y)
        zc = torch.einsum("bxy,ky->bkx", attention, self.phase)          # (B, 4, n²)
        n = self.size // self.pool
        z = periodic_sample(zc.reshape(b, 4, n, n), self.up.expand(b, -1, -1, -1))
        for refiner in self.refiners:
            phi = self.coordinates(z)
            warped = periodic_sample(moving, phi)
            d = refiner(torch.cat([warped, fixed], 1))
            z = periodic_sample(z, self.identity + d)
        return self.coordinates(z)


def loss_of(model, moving, fixed, diffusion):
    phi = model(moving, fixed)
    n = model.size
    u = phi - model.identity
    u = u - n * torch.floor((u + n / 2) / n)
    similarity = ((periodic_sample(moving, phi) - fixed) ** 2).mean()
    dy = torch.roll(u, -1, 2) - u
    dx = torch.roll(u, -1, 3) - u
    dy = dy - n * torch.floor((dy + n / 2) / n)
    dx = dx - n * torch.floor((dx + n / 2) / n)
    return similarity + diffusion * (dy ** 2 + dx ** 2).mean()


def smooth_images(count, size, seed):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        noise = rng.standard_normal((size, size))
        spectrum = np.fft.fft2(noise)
        k = np.fft.fftfreq(size)
        kk = k[:, None] ** 2 + k[None, :] ** 2
        out.append(np.real(np.fft.ifft2(spectrum * np.exp(-kk * 200))))
    arr = np.stack(out)
    return arr / np.abs(arr).max()


def time_torch(args, threads, dtype):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = CarlTwin(args.size, args.pool, args.channels, args.depth, args.stencil, args.temperature,
                     args.refine, args.refine_channels, args.refine_depth).to(dtype)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    images = torch.tensor(smooth_images(2 * args.batch, args.size, 1), dtype=dtype).unsqueeze(1)
    moving, fixed = images[: args.batch], images[args.batch:]
    for step in range(args.warmup + args.steps):
        if step == args.warmup:
            start, cpu_start = time.perf_counter(), time.process_time()
        optimizer.zero_grad()
        loss = loss_of(model, moving, fixed, args.diffusion)
        loss.backward()
        optimizer.step()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    parameters = sum(p.numel() for p in model.parameters())
    return {"threads": threads, "dtype": str(dtype).replace("torch.", ""), "parameters": parameters,
            "seconds_per_pair": seconds / (args.steps * args.batch), "cpu_seconds_per_pair": cpu / (args.steps * args.batch),
            "final_loss": float(loss.detach())}


DTYPE = {"float": "float32", "double": "float64"}


def time_archsynth(args, threads, precision):
    """Seconds per pair (wall, after the warm-up) and CPU seconds per pair: the CPU time of a run of
    warm-up + steps minus that of a run of the warm-up steps alone, over the timed pairs."""
    full = run_archsynth(args, threads, args.warmup + args.steps, precision)
    warm = run_archsynth(args, threads, args.warmup, precision)
    full["cpu_seconds_per_pair"] = (full["cpu_seconds_whole_process"] - warm["cpu_seconds_whole_process"]) / (args.steps * args.batch)
    return full


def run_archsynth(args, threads, steps, precision):
    """`archsynth train registration` on ARCHSYNTH_THREADS=threads; seconds per pair over the steps
    after the warm-up, from the per-step progress lines (batch / pairs per second), so process
    start and image loading are left out as they are for torch."""
    with tempfile.TemporaryDirectory() as tmp:
        images = smooth_images(16, args.size, 2)
        for i, im in enumerate(images):
            np.save(os.path.join(tmp, f"{i:03d}.npy"), np.ascontiguousarray(im, dtype=np.float32))
        command = [args.archsynth, "train", "registration", "--template", "carl", "--images", tmp,
                   "--size", str(args.size), "--steps", str(steps), "--batch", str(args.batch),
                   "--seed", "0", "--progress-every", "1", "--precision", precision,
                   "-o", os.path.join(tmp, "model.json")] + args.archsynth_arg
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, ARCHSYNTH_THREADS=str(threads)))
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if result.returncode != 0:
            sys.exit(f"archsynth failed ({result.returncode}): {result.stderr[-2000:]}")
        model = json.load(open(os.path.join(tmp, "model.json")))
        rates = [float(m) for m in re.findall(r"([0-9.]+) pairs/s", result.stderr)]
        timed = rates[args.warmup:] or rates
        step_seconds = sum(args.batch / r for r in timed)
        return {"threads": threads, "dtype": DTYPE[precision],
                "command": f"ARCHSYNTH_THREADS={threads} " + " ".join(command).replace(tmp, "DIR"),
                "wall_seconds_whole_process": seconds,
                "cpu_seconds_whole_process": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
                "page_faults_whole_process": after.ru_minflt - before.ru_minflt,
                "seconds_per_pair": step_seconds / (len(timed) * args.batch),
                "parameters": len(model.get("parameters", [])) or None,
                "stderr_tail": result.stderr.strip().splitlines()[-1:]}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--pool", type=int, default=4)
    p.add_argument("--channels", type=int, default=16)
    p.add_argument("--depth", type=int, default=3)
    p.add_argument("--stencil", type=int, default=3)
    p.add_argument("--temperature", type=float, default=1.0)
    p.add_argument("--refine", type=int, default=1)
    p.add_argument("--refine-channels", type=int, default=16)
    p.add_argument("--refine-depth", type=int, default=3)
    p.add_argument("--diffusion", type=float, default=0.1)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    p.add_argument("--archsynth", help="path of the archsynth binary (release build); omit to time torch only")
    p.add_argument("--archsynth-arg", action="append", default=[], help="extra argument for archsynth train (repeatable)")
    p.add_argument("--archsynth-precision", nargs="+", choices=["float", "double"], default=["float", "double"],
                   help="archsynth train registration --precision values to time (each against torch in the same dtype)")
    p.add_argument("--rounds", type=int, default=1, help="torch and archsynth alternately this many times; the best round counts")
    args = p.parse_args()
    report = {"torch": torch.__version__, "setup": {k: v for k, v in vars(args).items() if k != "archsynth"},
              "cores": os.cpu_count(), "rounds": []}
    for r in range(args.rounds):
        entry = {"load_before": os.getloadavg()}
        entry["pytorch"] = [time_torch(args, t, dt) for t in args.threads for dt in (torch.float32, torch.float64)]
        if args.archsynth:
            entry["archsynth"] = [time_archsynth(args, t, pr) for t in args.threads for pr in args.archsynth_precision]
        entry["load_after"] = os.getloadavg()
        report["rounds"].append(entry)
        print(json.dumps(entry), file=sys.stderr, flush=True)

    def best(key, threads, dtype):
        return min(x["seconds_per_pair"] for e in report["rounds"] for x in e.get(key, []) if x["threads"] == threads and x["dtype"] == dtype)

    def best_cpu(key, threads, dtype):
        return min(x["cpu_seconds_per_pair"] for e in report["rounds"] for x in e.get(key, []) if x["threads"] == threads and x["dtype"] == dtype)

    report["best_seconds_per_pair"] = {f"torch {dt} {t} thread(s)": best("pytorch", t, dt) for t in args.threads for dt in ("float32", "float64")}
    report["best_cpu_seconds_per_pair"] = {f"torch {dt} {t} thread(s)": best_cpu("pytorch", t, dt) for t in args.threads for dt in ("float32", "float64")}
    if args.archsynth:
        dtypes = [DTYPE[pr] for pr in args.archsynth_precision]
        for t in args.threads:
            for dt in dtypes:
                report["best_seconds_per_pair"][f"archsynth {dt} {t} thread(s)"] = best("archsynth", t, dt)
                report["best_cpu_seconds_per_pair"][f"archsynth {dt} {t} thread(s)"] = best_cpu("archsynth", t, dt)
        # archsynth in a dtype against torch in the same dtype (the goal's comparison); float64
        # archsynth against float32 torch as well when float was not timed (the runs before --precision).
        pairs = [(dt, dt) for dt in dtypes] + ([("float64", "float32")] if "float32" not in dtypes else [])
        report["ratios"] = {f"archsynth {a} / torch {b} {t} thread(s)": best("archsynth", t, a) / best("pytorch", t, b)
                            for t in args.threads for a, b in pairs}
        report["cpu_ratios"] = {f"archsynth {a} / torch {b} {t} thread(s)": best_cpu("archsynth", t, a) / best_cpu("pytorch", t, b)
                                for t in args.threads for a, b in pairs}
        report["archsynth_speedup_1_to_2_threads"] = ({dt: best("archsynth", 1, dt) / best("archsynth", 2, dt) for dt in dtypes}
                                                     if {1, 2} <= set(args.threads) else None)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
