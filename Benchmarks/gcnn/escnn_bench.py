"""escnn side of Benchmarks/gcnn/run.sh: the same layers as the Swift side (8 -> 8 regular fields,
5x5 stencil, 64x64 periodic grid via circular padding) for C4, D4, C8, D8.

Per layer: basis dimension (escnn's weight count, per channel pair), construction time (the first
R2Conv of the process, when escnn builds and caches its basis, and a second identical one), forward
(eval mode: the expanded filter is cached, as archsynth's layer caches its kernels) and backward
(the backward call after a train-mode forward) at batch 16, median of 5 after one warm-up, and the
equivariance error in float64 under the 90-degree rotation and under every element of the point
group (GeometricTensor.transform; angles that are not multiples of 90 degrees are interpolated).
One line of key=value pairs per layer. Seeds fixed; threads from --threads.
"""
import argparse
import os
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import numpy as np  # noqa: E402
import torch  # noqa: E402
from escnn import gspaces, nn  # noqa: E402
import escnn  # noqa: E402
import escnn.group._numerical as _numerical  # noqa: E402

# escnn 1.0.11 passes np.matrix to scikit-learn's randomized_svd, which scikit-learn 1.9 refuses
# ("np.matrix is not supported"); hand it the same values as an ndarray.
if getattr(_numerical, "randomized_svd", None) is not None:
    _randomized_svd = _numerical.randomized_svd
    _numerical.randomized_svd = lambda A, *a, **k: _randomized_svd(np.asarray(A), *a, **k)


def median(v):
    return sorted(v)[len(v) // 2]


def layer(gs, channels, kernel):
    ft = nn.FieldType(gs, channels * [gs.regular_repr])
    return ft, nn.R2Conv(ft, ft, kernel_size=kernel, padding=kernel // 2, padding_mode="circular")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument(
        "--clear-cache", action="store_true",
        help="empty escnn's on-disk Clebsch-Gordan cache (escnn/group/_cache) first, so the first construction is cold")
    args = parser.parse_args()
    if args.clear_cache:
        import shutil

        import escnn.group as escnn_group

        shutil.rmtree(escnn_group.__cache_path__, ignore_errors=True)
        print(f"# cleared escnn's disk cache {escnn_group.__cache_path__}")
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print(f"# escnn {getattr(escnn, '__version__', '?')} torch {torch.__version__} threads={torch.get_num_threads()} numpy {np.__version__}")
    cases = [
        ("C4_64", lambda: gspaces.rot2dOnR2(N=4)),
        ("D4_64", lambda: gspaces.flipRot2dOnR2(N=4)),
        ("C8_64", lambda: gspaces.rot2dOnR2(N=8)),
        ("D8_64", lambda: gspaces.flipRot2dOnR2(N=8)),
    ]
    size, channels, kernel = 64, 8, 5
    for name, make in cases:
        t = time.perf_counter()
        gs = make()
        ft, conv = layer(gs, channels, kernel)
        first = time.perf_counter() - t
        t = time.perf_counter()
        ft, conv = layer(gs, channels, kernel)
        second = time.perf_counter() - t
        per_pair = conv.basisexpansion.dimension() // (channels * channels)

        x = nn.GeometricTensor(torch.randn(args.batch, ft.size, size, size), ft)
        conv.eval()
        with torch.no_grad():
            conv(x)
            forward = []
            for _ in range(args.reps):
                t = time.perf_counter()
                conv(x)
                forward.append(time.perf_counter() - t)
        conv.train()
        xg = nn.GeometricTensor(x.tensor.clone().requires_grad_(True), ft)
        dy = torch.randn(args.batch, ft.size, size, size)
        conv(xg).tensor.backward(dy)
        backward = []
        for _ in range(args.reps):
            y = conv(xg).tensor
            t = time.perf_counter()
            y.backward(dy)
            backward.append(time.perf_counter() - t)

        # Equivariance in float64 on one standard-normal input.
        conv64 = layer(gs, channels, kernel)[1].to(torch.float64)
        conv64.eval()
        x1 = nn.GeometricTensor(torch.randn(1, ft.size, size, size, dtype=torch.float64), ft)
        errors = {}
        with torch.no_grad():
            fx = conv64(x1)
            for g in gs.fibergroup.elements:
                try:
                    a = conv64(x1.transform(g)).tensor
                    b = fx.transform(g).tensor
                    errors[str(g)] = float(torch.linalg.norm(a - b) / torch.linalg.norm(b))
                except Exception as e:  # report, do not hide
                    errors[str(g)] = f"error:{type(e).__name__}"
        numeric = [v for v in errors.values() if isinstance(v, float)]
        rot90 = None
        for g in gs.fibergroup.elements:
            value = g.to("radians") if not isinstance(g.to("radians"), tuple) else g.to("radians")
            flip, angle = (0, value) if not isinstance(value, tuple) else value
            if flip == 0 and abs(angle - np.pi / 2) < 1e-9:
                rot90 = errors[str(g)]
        print(
            f"escnn {name} basis_per_pair={per_pair} weights={conv.basisexpansion.dimension()} construct_first_s={first} construct_second_s={second}"
            f" forward_median_s={median(forward)} backward_median_s={median(backward)} batch={args.batch} reps={args.reps}"
            f" rotation90_error_double={rot90} every_element_max_error_double={max(numeric) if numeric else None}"
            f" elements={len(errors)} per_element={';'.join(f'{k}:{v}' for k, v in errors.items())}"
        )


if __name__ == "__main__":
    main()
