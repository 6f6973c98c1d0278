"""Training step of two generations of the same modules, in one process, one thread (issue 22):

    python ab.py OLD_DIR NEW_DIR [NAME ...]

For every layer of bench.LAYERS present in both directories (or the NAMEs given): the old and the
new module, both `seed=0`, checked to compute the same function (1e-5 relative, float32), then
five alternating rounds of `bench.step_ms` each (forward + backward, batch 256, float32, median
of 30 steps after 5), printed as medians and the median of the five new/old ratios. Alternating
rounds in one process put both under the same machine load, so the ratio is fairer than one
taken across two runs of bench.py.
"""
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
old_dir, new_dir, only = sys.argv[1], sys.argv[2], sys.argv[3:]
sys.argv = sys.argv[:1]
import bench  # noqa: E402  (sets one thread)
import torch  # noqa: E402

print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, batch {bench.BATCH}; old {old_dir}, new {new_dir}")
print(f"# loadavg before: {bench.loadavg()}")
print("| layer | step ms old | step ms new | new / old (median of 5 rounds) | rounds new / old |")
print("|---|---|---|---|---|")
for name in bench.LAYERS:
    if only and name not in only or not all(os.path.exists(os.path.join(d, name + ".py")) for d in (old_dir, new_dir)):
        continue
    old = bench.load(old_dir, name, "old")(seed=0)
    new = bench.load(new_dir, name, "new")(seed=0)
    x = torch.randn(8, new.input_dimension, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        a, b = old(x), new(x)
        assert (a - b).abs().max() <= 1e-5 * max(1.0, a.abs().max().item()), name
    times = {"old": [], "new": []}
    for _ in range(5):
        times["old"].append(bench.step_ms(old, old.input_dimension, old.output_dimension))
        times["new"].append(bench.step_ms(new, new.input_dimension, new.output_dimension))
    ratios = [n / o for n, o in zip(times["new"], times["old"])]
    print(f"| {name} | {statistics.median(times['old']):.3f} | {statistics.median(times['new']):.3f} | {statistics.median(ratios):.2f} | {' '.join(f'{r:.2f}' for r in ratios)} |", flush=True)
print(f"# loadavg after: {bench.loadavg()}")
