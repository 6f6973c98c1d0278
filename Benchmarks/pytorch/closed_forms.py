"""The measurement behind the PyTorch closed-form rule (PyTorchLayerEmitter.closedFormChoice):
the training step of symmetric:n natural^2 -> natural^2 in each torch form, one process, one thread.

    python closed_forms.py GENERATED_DIR

For every ClosedN.py in GENERATED_DIR (run.sh closed writes them): the module as generated (its
strategy note names the form the rule chose), the fused form (ClosedFormProduct, built from the
module's own helpers and diagrams whatever the rule chose), the pooled form (one add_diagram per
diagram, the module's `_pooled`, or its forward when the rule chose it) and, for d <= 400, the
hand-written layer of bench.py (W = sum_i theta_i B_i from a dense basis, x W^T + b: the same
product as the materialized form). Forward + backward, batch 256, float32, median of 30 steps
after 5 (bench.step_ms), five alternating rounds, medians; all forms checked to agree first.
"""
import glob
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
directory = sys.argv[1]
sys.argv = sys.argv[:1]
import bench  # noqa: E402  (sets one thread)
import torch  # noqa: E402


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().strip()


class Form(torch.nn.Module):
    """One forward of a generated module, sharing its parameters."""

    def __init__(self, model, kind):
        super().__init__()
        self.model, self.kind = model, kind
        if kind == "fused" and not hasattr(model, "_plan"):
            helpers = type(model).__init__.__globals__
            model._plan = helpers["fused_closed_form"](
                model._constants, model._n, model._input_blocks, model._input_ranks,
                model._output_blocks, model._output_ranks, model._diagrams, model.weight_count)
            self.product = helpers["ClosedFormProduct"]

    def forward(self, x):
        m = self.model
        if self.kind == "generated":
            return m(x)
        if self.kind == "pooled":
            return (m._pooled(x) if hasattr(m, "_pooled") else m._linear(x)) + m.bias_vector(x)
        if hasattr(m, "_product"):
            return m._product(x, m.bias_vector(x))
        c = m._const("fusedForms", x) @ m.weight.to(x.dtype)
        return self.product.apply(x, c, m.bias_vector(x), m._const("fusedPool", x, torch.float64),
                                  m._const("fusedPool", x), m._const("fusedPositions", x), m._plan)


print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, batch {bench.BATCH}, float32; loadavg before: {loadavg()}")
print("| n | d | W entries | rule's form | step ms generated | fused | pooled | hand-written W | fused / hand | generated / hand | fused / pooled |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
files = sorted(glob.glob(os.path.join(directory, "Closed*.py")), key=lambda f: int(re.sub(r"\D", "", os.path.basename(f))))
for path in files:
    name = os.path.basename(path)[:-3]
    model = bench.load(directory, name, "closed")(seed=0)
    d = model.input_dimension
    form = re.search(r"φ = C θ exact; (\w+)", model.forward_strategy_note)
    rule = "fused" if form and form.group(1) == "fused" else "pooled" if "einsum pooling" in model.forward_strategy_note else "materialized"
    forms = {k: Form(model, k) for k in ("generated", "fused", "pooled")}
    if d <= 400:
        basis, bias_basis = bench.basis_of(model)
        forms["hand"] = bench.HandWritten(basis.float(), bias_basis.float(), model.weight.detach(), model.bias.detach())
    x = torch.randn(8, d, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        ref = forms["generated"](x)
        for k, f in forms.items():
            assert (f(x) - ref).abs().max() <= 1e-5 * max(1.0, ref.abs().max().item()), (name, k)
    times = {k: [] for k in forms}
    for _ in range(5):
        for k, f in forms.items():
            times[k].append(bench.step_ms(f, d, model.output_dimension))
    med = {k: statistics.median(v) for k, v in times.items()}
    hand = med.get("hand")
    ratio = (lambda a, b: f"{a / b:.2f}" if b else "n/a")
    print(f"| {model._n} | {d} | {d * model.output_dimension} | {rule} | {med['generated']:.3f} | {med['fused']:.3f} | {med['pooled']:.3f} | "
          f"{f'{hand:.3f}' if hand else 'n/a'} | {ratio(med['fused'], hand)} | {ratio(med['generated'], hand)} | {ratio(med['fused'], med['pooled'])} |", flush=True)
print(f"# loadavg after: {loadavg()}")
