"""Side-by-side measurements of archsynth's PyTorch target (issue 22), one run, one thread.

    python bench.py GENERATED_DIR [--peer escnn|emlp|none] [--only NAME ...]

For every module in GENERATED_DIR listed in LAYERS below:
- construction: from importing the generated module (exec of NAME.py, reading NAME.safetensors)
  to a constructed model, milliseconds (first and median of 5 fresh imports; torch already imported);
- training step: forward + backward on a batch of 256 in float32, median of 30 steps after 5;
- equivariance error: the generated `equivariance_error` (every generator and random words of
  generators, 8 trials) in float32 and float64.
Baseline: a hand-written torch layer holding the same basis as a dense tensor B (k x d_out x d_in),
computing W = sum_i theta_i B_i and x W^T + b on every step (what a user writes from
`archsynth basis --format npy`); its basis is read off the generated module (W_i = f(e_i) columns).
When B would not fit (k d_out d_in > 5e7) the baseline builds the same W from B's nonzeros with
index_add instead (marked "sparse B" in the table).
Peers (--peer): escnn's `nn.Linear` on the same group and representation (C_n, D_n, O, I regular) and
EMLP's `emlp.nn.pytorch.Linear` (S_n on V^2); their construction includes solving their bases.
"""
import argparse
import importlib.util
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
t0 = time.perf_counter()
import torch
TORCH_IMPORT = time.perf_counter() - t0
torch.set_num_threads(1)

# name: (spec, in, out, escnn peer, emlp peer)
LAYERS = {
    "S5Pair": ("symmetric:5", "natural^2", "natural^2", None, ("S", 5)),
    "S10Pair": ("symmetric:10", "natural^2", "natural^2", None, ("S", 10)),
    "S30Pair": ("symmetric:30", "natural^2", "natural^2", None, None),
    "C16Regular": ("cyclic:16", "8*regular", "8*regular", ("cyclic", 16, 8), None),
    "D8Regular": ("dihedral:8", "8*regular", "8*regular", ("dihedral", 8, 8), None),
    "GridConv": ("cyclic:16 x cyclic:16", "4*regular", "4*regular", None, None),
    "H8Pair": ("hyperoctahedral:8", "natural^2", "natural^2", None, None),
    "D5Dense": ("dihedral:5", "natural + plane", "plane*plane + natural + trivial", None, None),
    "Q3Factored": ("dicyclic12", "quaternion^3", "quaternion^3", None, None),
    # escnn table only: the rotation groups O (order 24, = S_4) and I (order 60, = A_5) on 8 copies
    # of the regular representation; archsynth builds the same layer from S_4 and A_5 (a regular
    # representation depends only on the abstract group).
    "O24Regular": ("symmetric:4", "8*regular", "8*regular", ("octahedral", 24, 8), None),
    "I60Regular": ("alternating:5", "8*regular", "8*regular", ("icosahedral", 60, 8), None),
    # EMLP table only: its dihedral group D(8) on the plane (V**2, 4 dimensions) and its Rubik's
    # cube group on the 48 facelets (V -> V); archsynth builds them from dihedral:8's plane
    # representation and the rubik3 catalog group (the same groups acting the same way up to a
    # relabelling of the facelets, so the same equivariant spaces).
    "D8PlanePair": ("dihedral:8", "plane^2", "plane^2", None, ("D", 8)),
    "RubikFacelets": ("rubik3", "facelets", "facelets", None, ("Rubik", 0)),
}
PEER_ONLY = {"O24Regular", "I60Regular", "D8PlanePair", "RubikFacelets"}
BATCH = 256


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().strip()


def load(directory, name, tag):
    spec = importlib.util.spec_from_file_location(f"{name}_{tag}", os.path.join(directory, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def construction_ms(directory, name):
    times = []
    for k in range(5):
        start = time.perf_counter()
        cls = load(directory, name, k)
        cls(seed=0)
        times.append((time.perf_counter() - start) * 1e3)
    return times[0], statistics.median(times)


def step_ms(model, d_in, d_out, dtype=torch.float32, steps=30):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(BATCH, d_in, generator=g, dtype=dtype)
    r = torch.randn(BATCH, d_out, generator=g, dtype=dtype)
    times = []
    for k in range(steps + 5):
        start = time.perf_counter()
        loss = (model(x) * r).sum()
        loss.backward()
        for p in model.parameters():
            p.grad = None
        if k >= 5:
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


class HandWritten(torch.nn.Module):
    """The layer a user writes from an exported basis: W = sum_i theta_i B_i, then x W^T + b."""

    def __init__(self, basis, bias_basis, theta, beta):
        super().__init__()
        self.register_buffer("basis", basis)            # (k, d_out, d_in)
        self.register_buffer("bias_basis", bias_basis)  # (m, d_out)
        self.weight = torch.nn.Parameter(theta.clone())
        self.bias = torch.nn.Parameter(beta.clone())

    def forward(self, x):
        w = torch.tensordot(self.weight, self.basis, dims=1)
        return x @ w.T + self.bias @ self.bias_basis


class SparseHandWritten(torch.nn.Module):
    """W = sum_i theta_i B_i from B's nonzeros (element, position, value), then x W^T + b."""

    def __init__(self, element, position, value, d_out, d_in, bias_basis, theta, beta):
        super().__init__()
        self.register_buffer("element", element)
        self.register_buffer("position", position)
        self.register_buffer("value", value)
        self.register_buffer("bias_basis", bias_basis)
        self.shape = (d_out, d_in)
        self.weight = torch.nn.Parameter(theta.clone())
        self.bias = torch.nn.Parameter(beta.clone())

    def forward(self, x):
        w = torch.zeros(self.shape[0] * self.shape[1], dtype=x.dtype).index_add(0, self.position, self.value.to(x.dtype) * self.weight.to(x.dtype)[self.element])
        return x @ w.view(self.shape).T + self.bias.to(x.dtype) @ self.bias_basis.to(x.dtype)


def sparse_basis_of(model):
    m = type(model)(seed=0).double()
    k, kb, d_in, d_out = m.weight_count, m.bias_count, m.input_dimension, m.output_dimension
    eye = torch.eye(d_in, dtype=torch.float64)
    elements, positions, values = [], [], []
    with torch.no_grad():
        for i in range(k):
            theta = torch.zeros(k, dtype=torch.float64); theta[i] = 1
            m.set_parameters(theta, torch.zeros(kb))
            w = m(eye).T.reshape(-1)
            nz = w.nonzero().reshape(-1)
            positions.append(nz); values.append(w[nz]); elements.append(torch.full_like(nz, i))
        biases = []
        for j in range(kb):
            beta = torch.zeros(kb, dtype=torch.float64); beta[j] = 1
            m.set_parameters(torch.zeros(k), beta)
            biases.append(m(torch.zeros(1, d_in, dtype=torch.float64))[0].clone())
    bias_basis = torch.stack(biases).float() if biases else torch.zeros(0, d_out)
    return torch.cat(elements), torch.cat(positions), torch.cat(values).float(), d_out, d_in, bias_basis


def basis_of(model):
    """B_i and the bias basis read off the generated module in float64 (f(e_i) - f(0) columns)."""
    m = type(model)(seed=0).double()
    k, kb, d_in = m.weight_count, m.bias_count, m.input_dimension
    eye = torch.eye(d_in, dtype=torch.float64)
    elements = []
    with torch.no_grad():
        for i in range(k):
            theta = torch.zeros(k, dtype=torch.float64); theta[i] = 1
            m.set_parameters(theta, torch.zeros(kb))
            elements.append(m(eye).T.clone())
        biases = []
        for j in range(kb):
            beta = torch.zeros(kb, dtype=torch.float64); beta[j] = 1
            m.set_parameters(torch.zeros(k), beta)
            biases.append(m(torch.zeros(1, d_in, dtype=torch.float64))[0].clone())
    d_out = m.output_dimension
    basis = torch.stack(elements) if elements else torch.zeros(0, d_out, d_in, dtype=torch.float64)
    bias_basis = torch.stack(biases) if biases else torch.zeros(0, d_out, dtype=torch.float64)
    return basis, bias_basis


def hand_equivariance(hand, ours, dtype):
    """The generated module's check, with the hand-written layer's forward."""
    hand = hand.to(dtype)
    class Probe(type(ours)):
        pass
    probe = ours
    original = type(ours).forward
    try:
        type(ours).forward = lambda self, x: hand(x)
        return probe.to(dtype).equivariance_error(seed=0, trials=8)
    finally:
        type(ours).forward = original


def fmt(x):
    return f"{x:.3g}"


def escnn_peer(kind, n, channels):
    out = {}
    start = time.perf_counter()
    import escnn
    from escnn import group, gspaces, nn
    out["import"] = time.perf_counter() - start
    start = time.perf_counter()
    G = {"cyclic": lambda: group.cyclic_group(n), "dihedral": lambda: group.dihedral_group(n),
         "octahedral": group.octa_group, "icosahedral": group.ico_group}[kind]()
    gspace = gspaces.no_base_space(G)
    t_in = nn.FieldType(gspace, [gspace.regular_repr] * channels)
    t_out = nn.FieldType(gspace, [gspace.regular_repr] * channels)
    layer = nn.Linear(t_in, t_out)
    out["construct_ms"] = (time.perf_counter() - start) * 1e3
    d_in, d_out = t_in.size, t_out.size

    class Wrapped(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = layer

        def forward(self, x):
            return self.layer(nn.GeometricTensor(x, t_in)).tensor

    wrapped = Wrapped().train()
    out["step_ms"] = step_ms(wrapped, d_in, d_out)
    for dtype, key in ((torch.float32, "eq32"), (torch.float64, "eq64")):
        try:
            wrapped.to(dtype)
            gen = torch.Generator().manual_seed(0)
            x = torch.rand(8, d_in, generator=gen, dtype=dtype) * 2 - 1
            worst = 0.0
            with torch.no_grad():
                fx = nn.GeometricTensor(wrapped(x), t_out)
                for g in G.elements:
                    gx = nn.GeometricTensor(x, t_in).transform(g).tensor
                    a, b = wrapped(gx), fx.transform(g).tensor
                    err = (torch.linalg.vector_norm(a - b, dim=1) / torch.maximum(torch.linalg.vector_norm(a, dim=1), torch.linalg.vector_norm(b, dim=1))).max().item()
                    worst = max(worst, err)
            out[key] = worst
        except Exception as error:  # reported, not hidden
            out[key] = f"error: {type(error).__name__}: {str(error)[:80]}"
    wrapped.to(torch.float32)
    return out, d_in, d_out


def emlp_peer(kind, n):
    out = {}
    start = time.perf_counter()
    import emlp.nn.pytorch as enn
    from emlp.groups import D, RubiksCube, S
    from emlp.reps import V
    out["import"] = time.perf_counter() - start
    start = time.perf_counter()
    if kind == "Rubik":
        G = RubiksCube()
        rep = V(G)
    else:
        G = S(n) if kind == "S" else D(n)
        rep = V(G) ** 2
    layer = enn.Linear(rep, rep)
    out["construct_ms"] = (time.perf_counter() - start) * 1e3
    d = rep.size()
    out["step_ms"] = step_ms(layer, d, d)
    import numpy as np
    for dtype, key in ((torch.float32, "eq32"), (torch.float64, "eq64")):
        try:
            layer.to(dtype)
            gen = torch.Generator().manual_seed(0)
            x = torch.rand(8, d, generator=gen, dtype=dtype) * 2 - 1
            worst = 0.0
            with torch.no_grad():
                fx = layer(x)
                for g in G.discrete_generators:
                    rho = torch.tensor(np.asarray(rep.rho_dense(g)), dtype=dtype)
                    a, b = layer(x @ rho.T), fx @ rho.T
                    err = (torch.linalg.vector_norm(a - b, dim=1) / torch.maximum(torch.linalg.vector_norm(a, dim=1), torch.linalg.vector_norm(b, dim=1))).max().item()
                    worst = max(worst, err)
            out[key] = worst
        except Exception as error:
            out[key] = f"error: {type(error).__name__}: {str(error)[:80]}"
    layer.to(torch.float32)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--peer", choices=["none", "escnn", "emlp"], default="none")
    parser.add_argument("--only", nargs="*", help="these layers only (names in LAYERS)")
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, batch {BATCH}, float32 steps; import torch {TORCH_IMPORT:.2f} s (not counted below)")
    print(f"# loadavg before: {loadavg()}")
    if args.peer == "none":
        print("| layer | spec: in -> out | d_in -> d_out | strategy | import+construct ms (first / median) | step ms ours | step ms hand-written W | ratio ours/hand | equivariance f32 ours / hand | f64 ours / hand |")
        print("|---|---|---|---|---|---|---|---|---|---|")
    for name, (spec, rin, rout, escnn_spec, emlp_spec) in LAYERS.items():
        if args.peer == "escnn" and escnn_spec is None or args.peer == "emlp" and emlp_spec is None:
            continue
        if args.only and name not in args.only:
            continue
        if args.peer == "none" and name in PEER_ONLY or not os.path.exists(os.path.join(args.directory, name + ".py")):
            continue
        cls = load(args.directory, name, "main")
        model = cls(seed=0)
        d_in, d_out = cls.input_dimension, cls.output_dimension
        first, median = construction_ms(args.directory, name)
        ours = step_ms(model, d_in, d_out)
        if args.peer == "none":
            if cls.weight_count * d_in * d_out > 50_000_000:
                # B as a dense tensor would not fit: the same W built from B's nonzeros (index_add), then x W^T + b.
                hand = SparseHandWritten(*sparse_basis_of(model), model.weight.detach(), model.bias.detach())
            else:
                basis, bias_basis = basis_of(model)
                hand = HandWritten(basis.float(), bias_basis.float(), model.weight.detach(), model.bias.detach())
            theirs = step_ms(hand, d_in, d_out)
            e32 = model.float().equivariance_error(seed=0, trials=8)
            e64 = model.double().equivariance_error(seed=0, trials=8)
            h32 = hand_equivariance(hand, model, torch.float32)
            h64 = hand_equivariance(hand.double(), model, torch.float64)
            model.float()
            kind = " (sparse B)" if isinstance(hand, SparseHandWritten) else ""
            print(f"| {name} | {spec}: {rin} -> {rout} | {d_in} -> {d_out} | {cls.forward_strategy} | {first:.1f} / {median:.1f} | {ours:.3f} | {theirs:.3f}{kind} | {ours / theirs:.2f} | {fmt(e32)} / {fmt(h32)} | {fmt(e64)} / {fmt(h64)} |", flush=True)
        elif args.peer == "escnn":
            try:
                peer, pd_in, pd_out = escnn_peer(*escnn_spec)
            except Exception as error:  # reported with the error, not hidden
                print(f"{name}: escnn failed: {type(error).__name__}: {str(error)[:160]}", flush=True)
                continue
            print(f"{name}: ours {d_in}->{d_out} construct {median:.1f} ms (first {first:.1f}), step {ours:.3f} ms, eq f32 {fmt(model.float().equivariance_error())}, f64 {fmt(model.double().equivariance_error())}", flush=True)
            model.float()
            print(f"{name}: escnn {pd_in}->{pd_out} import {peer['import']:.2f} s, construct {peer['construct_ms']:.1f} ms, step {peer['step_ms']:.3f} ms, eq f32 {peer['eq32']}, f64 {peer['eq64']}", flush=True)
            print(f"{name}: ratios escnn/ours: construct {peer['construct_ms'] / median:.1f}x, step {peer['step_ms'] / ours:.2f}x", flush=True)
        else:
            try:
                peer = emlp_peer(*emlp_spec)
            except Exception as error:
                print(f"{name}: emlp failed: {type(error).__name__}: {str(error)[:160]}", flush=True)
                continue
            print(f"{name}: ours {d_in}->{d_out} construct {median:.1f} ms (first {first:.1f}), step {ours:.3f} ms, eq f32 {fmt(model.float().equivariance_error())}, f64 {fmt(model.double().equivariance_error())}", flush=True)
            model.float()
            print(f"{name}: emlp import {peer['import']:.2f} s, construct {peer['construct_ms']:.1f} ms, step {peer['step_ms']:.3f} ms, eq f32 {peer['eq32']}, f64 {peer['eq64']}", flush=True)
            print(f"{name}: ratios emlp/ours: construct {peer['construct_ms'] / median:.1f}x, step {peer['step_ms'] / ours:.2f}x", flush=True)


if __name__ == "__main__":
    main()
    print(f"# loadavg after: {loadavg()}")
