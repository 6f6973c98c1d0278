"""Times one tallUNet2 forward (64 x 64, batch 1, 2 torch threads) with the
OpenMP wait policy unset (libgomp's default: spin, then sleep) and PASSIVE,
each in a fresh process, to show why the other scripts set
OMP_WAIT_POLICY=PASSIVE on a shared machine.  The result depends on the
machine's load at the time; the load average is recorded with it.

    python omp_wait_bench.py > results/omp_wait_bench.json
"""

import json
import os
import subprocess
import sys

CHILD = r"""
import time, torch
import icon_registration.networks as networks
torch.set_num_threads(2)
torch.manual_seed(0)
net = networks.tallUNet2(dimension=2).eval()
x = torch.randn(1, 1, 64, 64)
with torch.no_grad():
    net(x, x)
    start = time.perf_counter()
    for _ in range(5):
        net(x, x)
print((time.perf_counter() - start) / 5)
"""


def run(policy):
    env = dict(os.environ)
    env.pop("OMP_WAIT_POLICY", None)
    if policy:
        env["OMP_WAIT_POLICY"] = policy
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main():
    record = {"command": "python omp_wait_bench.py", "load_average_before": os.getloadavg(),
              "seconds_per_forward": {"unset": run(None), "PASSIVE": run("PASSIVE")},
              "load_average_after": os.getloadavg(), "cpus": os.cpu_count()}
    print(json.dumps(record, indent=1))


if __name__ == "__main__":
    main()
