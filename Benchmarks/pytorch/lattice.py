"""The PyTorch lattice layer against escnn's R2Conv for the same layer: p4m (D4) on a 64x64 periodic
grid, 8 -> 8 regular fields, 5x5 stencil, batch 16, torch.set_num_threads(--threads), in one process.

Per library: construction (archsynth: import of the generated module + LIFT(seed=0), the module's
import of torch excluded since torch is imported first; escnn: gspace + FieldType + R2Conv, the
first of the process and a second identical one), forward (no_grad, eval mode for escnn, which
then caches its expanded filter; archsynth expands its kernel on every call) and forward +
backward (train mode; parameters and input require gradients), each the median of --reps after
one warm-up, on the same standard-normal input values (archsynth's (batch, fields*points*8)
layout, escnn's (batch, channels, H, W)). Ratios are escnn / archsynth. The load average is
printed before and after. One line of key=value pairs per library.
"""
import argparse
import importlib.util
import os
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch  # noqa: E402


def median(v):
    return sorted(v)[len(v) // 2]


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().strip()


def timed(step, reps):
    step()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    return median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("module", help="the generated NAME.py (class NAME)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print(f"# torch {torch.__version__} threads={torch.get_num_threads()} batch={args.batch} reps={args.reps}")
    print(f"# loadavg before: {loadavg()}")
    name = os.path.splitext(os.path.basename(args.module))[0]

    t = time.perf_counter()
    spec = importlib.util.spec_from_file_location(name, args.module)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    layer = getattr(module, name)(seed=0)
    construct = time.perf_counter() - t
    d_in = layer.input_dimension
    size, channels, group = 64, 8, 8
    assert d_in == channels * size * size * group, f"expected the 64x64 8-regular-field layer, got d_in={d_in}"
    grid = torch.randn(args.batch, channels * group, size, size)
    # The same values in archsynth's layout: value (i * points + x) * 8 + a for field i, point x, component a.
    x = grid.view(args.batch, channels, group, size * size).transpose(2, 3).reshape(args.batch, d_in).contiguous()

    def forward():
        with torch.no_grad():
            layer(x)

    xg = x.clone().requires_grad_(True)
    dy = torch.randn(args.batch, layer.output_dimension)

    def train():
        layer.zero_grad(set_to_none=True)
        layer(xg).backward(dy)

    ours = (construct, timed(forward, args.reps), timed(train, args.reps))
    print(f"archsynth {name} weights={layer.weight_count} construct_s={ours[0]} forward_median_s={ours[1]} forward_backward_median_s={ours[2]}"
          f" equivariance_error_float32={layer.equivariance_error(seed=1, trials=2)}")

    import numpy as np
    import escnn
    import escnn.group._numerical as _numerical
    from escnn import gspaces, nn

    # escnn 1.0.11 passes np.matrix to scikit-learn's randomized_svd, which scikit-learn 1.9 refuses
    # (as in Benchmarks/gcnn/escnn_bench.py).
    if getattr(_numerical, "randomized_svd", None) is not None:
        _randomized_svd = _numerical.randomized_svd
        _numerical.randomized_svd = lambda A, *a, **k: _randomized_svd(np.asarray(A), *a, **k)

    def build():
        gs = gspaces.flipRot2dOnR2(N=4)
        ft = nn.FieldType(gs, channels * [gs.regular_repr])
        return ft, nn.R2Conv(ft, ft, kernel_size=5, padding=2, padding_mode="circular")

    t = time.perf_counter()
    ft, conv = build()
    first = time.perf_counter() - t
    t = time.perf_counter()
    ft, conv = build()
    second = time.perf_counter() - t
    gx = nn.GeometricTensor(grid, ft)

    def peer_forward():
        with torch.no_grad():
            conv(gx)

    conv.eval()
    peer_fwd = timed(peer_forward, args.reps)
    conv.train()
    gxg = nn.GeometricTensor(grid.clone().requires_grad_(True), ft)
    gdy = torch.randn(args.batch, channels * group, size, size)

    def peer_train():
        conv.zero_grad(set_to_none=True)
        conv(gxg).tensor.backward(gdy)

    peer_tr = timed(peer_train, args.reps)
    print(f"escnn {escnn.__version__ if hasattr(escnn, '__version__') else '?'} D4_64 weights={conv.basisexpansion.dimension()} construct_first_s={first}"
          f" construct_second_s={second} forward_median_s={peer_fwd} forward_backward_median_s={peer_tr}")
    print(f"ratio escnn/archsynth construct_first={first / ours[0]} construct_second={second / ours[0]} forward={peer_fwd / ours[1]}"
          f" forward_backward={peer_tr / ours[2]}")
    print(f"# loadavg after: {loadavg()}")


if __name__ == "__main__":
    main()
