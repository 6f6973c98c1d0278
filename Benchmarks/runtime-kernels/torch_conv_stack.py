#!/usr/bin/env python3
"""The plain conv stack of threads.swift in PyTorch: 2 -> 16 -> 16 -> 2 channels, 3x3 circular
convolutions with ReLU between, 64x64, a batch of B samples; forward + backward (gradient of
sum(y * dy)), wall seconds per batch, best of 5, with torch.set_num_threads(T) for each T.
Prints one line per (threads, dtype) in the format of threads.swift.
Usage: torch_conv_stack.py [BATCH] [THREADS...]   (default 32, threads 1 2)"""
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch  # noqa: E402


def stack(dtype):
    torch.manual_seed(0)
    layers = [torch.nn.Conv2d(a, b, 3, padding=1, padding_mode="circular") for a, b in [(2, 16), (16, 16), (16, 2)]]
    return torch.nn.ModuleList(layers).to(dtype)


def run(layers, x):
    for i, layer in enumerate(layers):
        x = layer(x)
        if i < len(layers) - 1:
            x = torch.relu(x)
    return x


def main():
    args = [int(a) for a in sys.argv[1:]]
    batch = args[0] if args else 32
    threads = args[1:] or [1, 2]
    print(f"# torch {torch.__version__} conv stack 64x64 2-16-16-2 3x3, batch {batch}, wall seconds per batch (best of 5), forward + backward")
    for dtype in (torch.float64, torch.float32):
        line = f"torch conv stack {str(dtype).replace('torch.', '')}\tbatch={batch}"
        times = []
        for t in threads:
            torch.set_num_threads(t)
            layers = stack(dtype)
            g = torch.Generator().manual_seed(1)
            x = torch.randn(batch, 2, 64, 64, generator=g, dtype=dtype, requires_grad=True)
            dy = torch.randn(batch, 2, 64, 64, generator=g, dtype=dtype)
            best = float("inf")
            for _ in range(6):  # the first is a warm-up
                for p in layers.parameters():
                    p.grad = None
                x.grad = None
                t0 = time.perf_counter()
                (run(layers, x) * dy).sum().backward()
                best = min(best, time.perf_counter() - t0)
            times.append(best)
            line += f"\tthreads{t}_ms={best * 1e3}"
        if len(times) > 1:
            line += f"\tspeedup_{threads[0]}_to_{threads[1]}={times[0] / times[1]}"
        line += f"\tper_sample_ms_{threads[0]}={times[0] * 1e3 / batch}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
