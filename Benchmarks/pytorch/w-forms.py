"""W built from its classes, forward + backward of W alone, one thread (issue 22): one product
W = M theta (M dense, E x k) against one gather W = pad(theta)[index] * sign, for E entries and k
parameters; "baseline op" is the cost of the sum + backward around them. Chooses
PyTorchWeightClasses.matrixMaximumEntries (2^16). Run: python w-forms.py
"""
import torch, time, statistics
import torch.nn.functional as F
torch.set_num_threads(1)
def t(fn, theta, n=200):
    ts = []
    for i in range(n + 20):
        s = time.perf_counter()
        w = fn(theta); w.sum().backward(); theta.grad = None
        if i >= 20: ts.append(time.perf_counter() - s)
    return statistics.median(ts) * 1e6
for E in [625, 4096, 10000, 40000, 65536]:
    for k in [4, 15, 60, 200]:
        theta = torch.randn(k, requires_grad=True)
        idx = torch.randint(0, k + 1, (E,))
        M = F.pad(torch.eye(k), (0, 0, 0, 1))[idx].contiguous()
        sign = torch.randint(0, 2, (E,)).float() * 2 - 1
        a = t(lambda th: M @ th, theta)
        b = t(lambda th: F.pad(th, (0, 1))[idx] * sign, theta)
        base = t(lambda th: th * 1.0, theta)
        print(f"E {E} k {k} Ek {E*k}: denseM {a:.1f} us, gather {b:.1f} us (baseline op {base:.1f})", flush=True)
