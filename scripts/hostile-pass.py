#!/usr/bin/env python3
"""A hostile pass over every archsynth command (issue 18).

Generates seeded argument variations for every command -- valid small values, boundaries, huge
and malformed numbers, empty and odd strings, unknown, missing and repeated options, outputs
that are directories, existing files, missing folders -- runs each with a timeout and a memory
cap, and reports every run that

  - ended by a signal (a crash: SIGABRT from a trap, SIGSEGV, SIGKILL from the memory cap);
  - ran past the timeout (a hang, or work far beyond what the stated limits allow);
  - exited with a code other than 0, 1 or 64, or failed without an "error: " line,
    or printed "Fatal error";
  - damaged an output: a failed run that changed a file that existed before it, or left a
    temporary file (`*.tmp-*`) behind.

Usage: scripts/hostile-pass.py [--binary PATH] [--count N] [--seed S] [--timeout SECONDS]
       [--memory-gb G] [--jobs J] [--output FILE]
Defaults: .build/release/archsynth, 2400 runs, seed 18, 120 s, 6 GB, 2 jobs. Every child gets
ARCHSYNTH_CACHE in a temporary folder (never the user's cache) and runs in its own scratch folder.
Exit status 1 when anything is reported.
"""

import argparse
import collections
import concurrent.futures
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

NUMBERS = ["0", "-1", "1", "2", "3", "4", "7", "8", "16", "17", "64", "65", "1024", "4096", "65536", "65537",
           "1000000", "2147483648", "9223372036854775807", "9223372036854775808", "99999999999999999999",
           "1e3", "0x10", "+5", " 5", "5 ", "", "abc", "nan", "inf", "-0", "1.5", "٣", "５"]
SMALL = ["1", "2", "3", "4", "8"]
STRINGS = ["", " ", "x", "é", "\u202e", "a" * 5000, "--", "-", "/dev/null", "\\", "'", "\"", "$(true)", "%s%n"]
SPECS = ["symmetric:3", "symmetric:4", "symmetric:5", "cyclic:4", "cyclic:8", "dihedral:4", "dihedral:5", "hyperoctahedral:3",
         "alternating:4", "D4", "Q8", "S4", "A4", "klein4", "dicyclic12", "cyclic:2 x cyclic:3", "D4 x cyclic:2",
         "symmetric:0", "symmetric:501", "cyclic:10001", "symmetric:-3", "SYMMETRIC:5", "symmetric:05", "nosuch", "",
         "symmetric:3 x", "x", "cyclic:1", "symmetric:1", "dihedral:1", "hyperoctahedral:251", "symmetric:500", "cyclic:10000",
         "/dev/null", "/", "catalogs"]
EXPRESSIONS = ["natural", "trivial", "regular", "sign", "plane", "natural^2", "natural + trivial", "2*natural", "dual(natural)",
               "sym2(natural)", "alt2(natural)", "natural^0", "natural^-1", "natural^64", "0*natural", "999999999*natural",
               "(natural", "natural)", "", "nope", "natural * natural * natural", "((((natural))))", "4*regular", "field(regular)",
               "natural +", "+", "sym2(" * 50 + "natural" + ")" * 50, "quaternion", "vertices"]
FORMS = ["affine:2", "affine:3", "rigid:2", "rigid:3", "svf:4x4", "svf:8x8", "svf:0x4", "svf:4", "affine:4", "rigid:1", "svf:1024x1025",
         "svf:x", "", "rigid:3 "]


def pick(rng, values):
    return rng.choice(values)


class Case:
    def __init__(self, label, args, outputs=(), prepare=None):
        self.label = label
        self.args = args
        self.outputs = list(outputs)  # relative paths the command may write
        self.prepare = prepare or []  # (relative path, kind) kinds: "file", "dir"


def mutate(rng, args):
    """Drops, duplicates or adds an option; swaps a value for a hostile one."""
    args = list(args)
    r = rng.random()
    if r < 0.1 and args:
        del args[rng.randrange(len(args))]
    elif r < 0.2:
        args.insert(rng.randrange(len(args) + 1), pick(rng, ["--bogus", "--json", "--json=1", "-o", "--", "---", "--max-cosets", "--max-cosets=0"]))
    elif r < 0.3 and args:
        i = rng.randrange(len(args))
        args[i] = pick(rng, NUMBERS + STRINGS)
    return args


def output_choice(rng, name):
    """A destination: a new file, an existing file, a directory, a missing folder, an empty string."""
    kind = rng.choice(["new", "new", "new", "existing", "dir", "missing", "empty"])
    if kind == "empty":
        return "", []
    if kind == "missing":
        return "missing/" + name, []
    if kind == "dir":
        return name, [(name, "dir")]
    if kind == "existing":
        return name, [(name, "file")]
    return name, []


def cases(rng, count):
    makers = []

    def info():
        args = ["info", pick(rng, SPECS)]
        for flag in ["--max-cosets", "--max-elements", "--max-rep-dimension", "--max-dense-entries"]:
            if rng.random() < 0.3:
                args += [flag, pick(rng, NUMBERS)]
        if rng.random() < 0.5:
            args.append("--json")
        return Case("info", args)

    def catalog():
        return Case("catalog", ["catalog"] + (["--json"] if rng.random() < 0.5 else []) + ([pick(rng, STRINGS)] if rng.random() < 0.3 else []))

    def basis():
        args = ["basis", pick(rng, SPECS[:17] + SPECS[17:] * (rng.random() < 0.2)), "--in", pick(rng, EXPRESSIONS), "--out", pick(rng, EXPRESSIONS)]
        outputs, prepare = [], []
        for flag in ["--max-index-pairs", "--max-basis-entries", "--max-exact-unknowns", "--max-factored-dimension"]:
            if rng.random() < 0.2:
                args += [flag, pick(rng, NUMBERS)]
        r = rng.random()
        if r < 0.2:
            args.append("--factored")
        elif r < 0.4:
            out, prepare = output_choice(rng, "basis-out")
            args += ["--format", pick(rng, ["npy", "json", "csv", ""]), "-o", out]
            outputs = [out, out + "/basis.npy", out + "/bias.npy"]
        elif r < 0.6:
            args.append("--json")
        return Case("basis", args, outputs, prepare)

    def layer():
        out, prepare = output_choice(rng, "L.swift")
        args = ["generate", "layer", pick(rng, SPECS[:17]), "--in", pick(rng, EXPRESSIONS), "--out", pick(rng, EXPRESSIONS),
                "--name", pick(rng, ["L", "L", "class", "1L", "Graph", "", "A" * 300]), "-o", out]
        if rng.random() < 0.3:
            args += ["--strategy", pick(rng, ["auto", "tied", "dense", "factored", "group-convolution", "symmetric-closed-form", "x"])]
        if rng.random() < 0.2:
            args += ["--support", pick(rng, NUMBERS)]
        if rng.random() < 0.3:
            args.append("--json")
        return Case("generate layer", args, [out], prepare)

    def network():
        out, prepare = output_choice(rng, "N.swift")
        reps = ",".join(pick(rng, EXPRESSIONS[:9]) for _ in range(rng.randint(0, 4)))
        args = ["generate", "network", pick(rng, SPECS[:17]), "--reps", reps, "--name", pick(rng, ["N", "N", "struct", ""]), "-o", out]
        if rng.random() < 0.3:
            args += ["--nonlinearity", pick(rng, ["auto", "relu", "tanh", "norm", "5", ""])]
        if rng.random() < 0.2:
            args += ["--support", pick(rng, NUMBERS)]
        return Case("generate network", args, [out], prepare)

    def from_config():
        out = pick(rng, ["cfg-out", "cfg-out", "", "missing/cfg-out"])
        prepare = [("c.archsynth.json", "config:" + pick(rng, CONFIGS))]
        if rng.random() < 0.3:
            prepare.append(("cfg-out/B.swift", "dir"))
        if rng.random() < 0.3:
            prepare.append(("cfg-out/A.swift", "file"))
        return Case("generate from-config", ["generate", "from-config", "c.archsynth.json", "-o", out] + (["--json"] if rng.random() < 0.3 else []),
                    [out + "/A.swift", out + "/B.swift", out + "/N.swift"], prepare)

    def swap():
        out, prepare = output_choice(rng, "S.swift")
        args = ["generate", "template", "swap-inversion", "--form", pick(rng, FORMS), "--input", pick(rng, NUMBERS[:12] + ["4x4", "8x8", "0x4", "1024x1025", "390000"]),
                "--name", pick(rng, ["S", "S", ""]), "-o", out]
        if rng.random() < 0.4:
            args += ["--hidden", pick(rng, NUMBERS)]
        if rng.random() < 0.3:
            args += ["--squarings", pick(rng, NUMBERS)]
        if rng.random() < 0.2:
            args += [pick(rng, ["--max-parameters", "--max-constants", "--max-index-pairs"]), pick(rng, NUMBERS)]
        if rng.random() < 0.1:
            args = args[:3] + ["--two-step", pick(rng, ["affine:2,svf:4x4", "affine:2,svf:8x8", "svf:4x4,affine:2", "affine:2"])] + args[5:]
        return Case("template swap-inversion", args, [out], prepare)

    def attention():
        out, prepare = output_choice(rng, "A.swift")
        args = ["generate", "template", "coordinate-attention"]
        if rng.random() < 0.3:
            args += ["--groups", pick(rng, ["cyclic:4,cyclic:4", "symmetric:3,symmetric:3", "cyclic:64,cyclic:2", "cyclic:5000,cyclic:2",
                                            "cyclic:1000,cyclic:2", "dihedral:4,cyclic:2", "cyclic:4", ",", "symmetric:8,symmetric:8"]),
                     "--in", pick(rng, ["regular,regular", "natural,natural", "4000*regular,regular", "plane,regular", "natural", ","])]
        else:
            args += ["--grid", pick(rng, NUMBERS[:14] + ["4x4", "8x8", "64x64", "1x7", "0x4", "4x", "x", "4x4x4"])]
            if rng.random() < 0.4:
                args += ["--stencil", pick(rng, NUMBERS)]
            if rng.random() < 0.3:
                args += ["--refine", pick(rng, NUMBERS)]
        args += ["--channels", pick(rng, SMALL + NUMBERS), "--depth", pick(rng, SMALL + NUMBERS), "--name", pick(rng, ["A", "A", ""]), "-o", out]
        if rng.random() < 0.3:
            args += ["--temperature", pick(rng, ["1", "0.5", "5e-324", "1e-9", "1e300", "inf", "nan", "-1", "0", "1e-4", "1e4", "x"])]
        if rng.random() < 0.2:
            args += [pick(rng, ["--max-parameters", "--max-constants", "--max-table-entries"]), pick(rng, NUMBERS)]
        return Case("template coordinate-attention", args, [out], prepare)

    def gradient():
        out, prepare = output_choice(rng, "G.swift")
        args = ["generate", "block", "unrolled-gradient", pick(rng, SPECS[:12]), "--x", pick(rng, ["natural", "natural", "2*natural", "sign", "plane", "11*natural", "regular", ""]),
                "--context", pick(rng, ["natural", "natural", "plane", "trivial", "regular", ""]), "--steps", pick(rng, SMALL + NUMBERS),
                "--name", pick(rng, ["G", "G", ""]), "-o", out]
        if rng.random() < 0.5:
            args += ["--energy", pick(rng, ["quadratic", "quartic", "network:2*natural,trivial", "network:trivial", "network:", "network:natural",
                                            "network:170*regular,170*regular,trivial", "cubic"])]
        for flag in ["--share", "--sweep", "--json"]:
            if rng.random() < 0.2:
                args.append(flag)
        if rng.random() < 0.2:
            args += [pick(rng, ["--max-dimension", "--max-law-elements", "--max-parameters", "--max-constants"]), pick(rng, NUMBERS)]
        return Case("block unrolled-gradient", args, [out], prepare)

    def fixed_point():
        out, prepare = output_choice(rng, "F.swift")
        args = ["generate", "block", "unrolled-fixed-point", "--grid", pick(rng, NUMBERS[:14] + ["4x4", "8x8", "256x256", "65536", "4x"]),
                "--steps", pick(rng, SMALL + NUMBERS), "--name", pick(rng, ["F", "F", ""]), "-o", out]
        if rng.random() < 0.5:
            args += ["--step", pick(rng, ["lucas-kanade", "network", "x"])]
            for flag in ["--channels", "--stencil"]:
                if rng.random() < 0.4:
                    args += [flag, pick(rng, ["0", "1", "2"] + NUMBERS)]
            if rng.random() < 0.2:  # generate never trains: the old flags must be refused
                args += [pick(rng, ["--train", "--train-depth"]), pick(rng, ["0", "1"])]
            if rng.random() < 0.2:
                args += ["--from-model", pick(rng, ["missing.json", "F.swift", "/dev/null", ""])]
        if rng.random() < 0.2:
            args += ["--seed", pick(rng, NUMBERS)]
        if rng.random() < 0.2:
            args.append(pick(rng, ["--json", "--all-cases"]))
        if rng.random() < 0.2:
            args += ["--max-table-entries", pick(rng, NUMBERS)]
        return Case("block unrolled-fixed-point", args, [out], prepare)

    def verify():
        target = pick(rng, ["missing.swift", "empty.swift", "notswift.swift", "dir.swift", "/dev/null", "", "symmetric:3"])
        prepare = {"empty.swift": [("empty.swift", "file")], "notswift.swift": [("notswift.swift", "text:struct {")],
                   "dir.swift": [("dir.swift", "dir")]}.get(target, [])
        args = ["verify", target]
        if target == "symmetric:3":
            args += ["--in", pick(rng, EXPRESSIONS[:8]), "--out", pick(rng, EXPRESSIONS[:8])]
        elif rng.random() < 0.3:
            args += ["--spec", pick(rng, SPECS), "--in", pick(rng, EXPRESSIONS), "--out", pick(rng, EXPRESSIONS)]
        return Case("verify", args, [], prepare)

    def experiment():
        out = pick(rng, ["exp", "", "missing/exp", "file.txt"])
        prepare = [("file.txt", "file")] if out == "file.txt" else []
        if rng.random() < 0.3:
            prepare.append(("exp/name-swap.md", "dir"))
            prepare.append(("exp/name-swap.svg", "file"))
        name = pick(rng, ["nosuch", "", "name-swap --seeds 0", "ood --seeds 101", "--list", "name-swap --seeds abc"])
        return Case("experiment", ["experiment"] + name.split(" ") + ["-o", out], [out + "/name-swap.md", out + "/name-swap.svg"], prepare)

    def top():
        return Case("top level", pick(rng, [[], ["help"], ["--help"], ["nosuch"], ["generate"], ["generate", "template"], ["generate", "block"],
                                             ["generate", "template", "nosuch"], ["generate", "block", "nosuch"], [""], ["-"], ["--json"]]))

    weights = [(info, 3), (catalog, 1), (basis, 4), (layer, 3), (network, 2), (from_config, 2), (swap, 3), (attention, 4), (gradient, 3),
               (fixed_point, 3), (verify, 2), (experiment, 1), (top, 1)]
    for maker, w in weights:
        makers += [maker] * w
    out = []
    for _ in range(count):
        c = rng.choice(makers)()
        if rng.random() < 0.15:
            c.args = c.args[:1] + mutate(rng, c.args[1:])
        out.append(c)
    return out


CONFIGS = [
    '{ "spec": "symmetric:3", "layers": [{ "name": "A", "in": "natural", "out": "natural" }, { "name": "B", "in": "natural", "out": "trivial" }] }',
    '{ "spec": "symmetric:3", "networks": [{ "name": "N", "reps": ["natural", "trivial"], "nonlinearity": 5 }] }',
    '{ "spec": "symmetric:3", "layers": [] }',
    '{ "spec": 5 }',
    '{ "spec": "symmetric:3", "layers": [{ "name": "A", "in": "natural", "out": "natural" }], "verify": "yes" }',
    '{ "spec": "symmetric:3", "layers": [{ "name": "A", "in": "natural", "out": "natural", "support": 0 }] }',
    '{ "spec": "symmetric:3", "layers": [{ "name": "A", "in": "natural^9", "out": "natural^9" }] }',
    '[' * 10000,
    '',
    '\xff\xfe',
    '{ "spec": "symmetric:3", "layers": [{ "name": "A", "in": "natural", "out": "natural" }, { "name": "A", "in": "natural", "out": "natural" }] }',
]


def snapshot(folder):
    state = {}
    for base, dirs, files in os.walk(folder):
        for f in files:
            p = os.path.join(base, f)
            try:
                with open(p, "rb") as h:
                    state[os.path.relpath(p, folder)] = h.read()
            except OSError:
                state[os.path.relpath(p, folder)] = None
        for d in dirs:
            state[os.path.relpath(os.path.join(base, d), folder) + "/"] = "dir"
    return state


def run_case(index, case, binary, timeout, memory, cache):
    scratch = tempfile.mkdtemp(prefix="archsynth-hostile-")
    try:
        for path, kind in case.prepare:
            full = os.path.join(scratch, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            if kind == "dir":
                os.makedirs(full, exist_ok=True)
            elif kind.startswith("config:"):
                with open(full, "wb") as h:
                    h.write(kind[len("config:"):].encode("utf-8", "surrogateescape") if not kind.endswith("\xff\xfe") else b"\xff\xfe{}")
            elif kind.startswith("text:"):
                with open(full, "w") as h:
                    h.write(kind[len("text:"):])
            else:
                with open(full, "w") as h:
                    h.write("sentinel %d\n" % index)
        before = snapshot(scratch)
        env = dict(os.environ, ARCHSYNTH_CACHE=cache)

        def limit():
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            os.setsid()

        start = time.monotonic()
        try:
            p = subprocess.Popen([binary] + case.args, cwd=scratch, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=limit)
            out, err = p.communicate(timeout=timeout)
            status, hung = p.returncode, False
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, err = p.communicate()
            status, hung = None, True
        elapsed = time.monotonic() - start
        after = snapshot(scratch)
        findings = []
        text = err.decode("utf-8", "replace")
        if hung:
            findings.append("hang: still running after %d s" % timeout)
        elif status < 0:
            findings.append("signal %d (%s)" % (-status, signal.Signals(-status).name))
        elif status not in (0, 1, 64):
            findings.append("exit %d" % status)
        elif status != 0:
            # `verify` may print a "note:" line (which actions it checks against) before its error.
            if not any(line.startswith("error: ") for line in text.splitlines()):
                findings.append("failure without an 'error: ' line")
        if "Fatal error" in text:
            findings.append("'Fatal error' on stderr")
        if status not in (0, None) or hung:
            for path, content in before.items():
                if after.get(path) != content:
                    findings.append("damaged %s" % path)
        for path in after:
            if ".tmp-" in path:
                findings.append("temporary left: %s" % path)
        errors = [line for line in text.splitlines() if line.startswith("error: ")] or text.splitlines()
        return index, case, status, elapsed, findings, errors[0][:200] if errors else ""
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build/release/archsynth"))
    ap.add_argument("--count", type=int, default=2400)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--memory-gb", type=float, default=6)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--output", default=None)
    a = ap.parse_args()
    a.binary = os.path.abspath(a.binary)
    rng = random.Random(a.seed)
    all_cases = cases(rng, a.count)
    cache = tempfile.mkdtemp(prefix="archsynth-hostile-cache-")
    memory = int(a.memory_gb * (1 << 30))
    started = time.monotonic()
    results = []
    try:
        with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
            futures = [pool.submit(run_case, i, c, a.binary, a.timeout, memory, cache) for i, c in enumerate(all_cases)]
            for f in concurrent.futures.as_completed(futures):
                results.append(f.result())
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    results.sort(key=lambda r: r[0])
    lines = []
    lines.append("$ scripts/hostile-pass.py --count %d --seed %d --timeout %g --memory-gb %g --jobs %d" % (a.count, a.seed, a.timeout, a.memory_gb, a.jobs))
    lines.append("binary: %s" % a.binary)
    lines.append("load average at the end: %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    lines.append("runs: %d, wall %.0f s" % (len(results), time.monotonic() - started))
    by_command = collections.defaultdict(collections.Counter)
    slowest = sorted(results, key=lambda r: -r[3])[:10]
    for _, case, status, _, _, _ in results:
        by_command[case.label]["hang" if status is None else ("signal" if status < 0 else "exit %d" % status)] += 1
    lines.append("")
    lines.append("outcomes by command:")
    for label in sorted(by_command):
        lines.append("  %-32s %s" % (label, ", ".join("%s: %d" % kv for kv in sorted(by_command[label].items()))))
    lines.append("")
    lines.append("slowest runs:")
    for i, case, status, elapsed, _, first in slowest:
        lines.append("  %6.1f s  exit %s  %s" % (elapsed, status, " ".join(repr(x) if (" " in x or not x) else x for x in case.args)[:300]))
    findings = [(i, case, status, f, first) for i, case, status, _, f, first in results if f]
    lines.append("")
    lines.append("findings: %d" % len(findings))
    for i, case, status, f, first in findings:
        lines.append("  #%d %s: %s" % (i, "; ".join(f), " ".join(repr(x) if (" " in x or not x) else x for x in case.args)[:400]))
        if first:
            lines.append("      stderr: %s" % first)
    report = "\n".join(lines) + "\n"
    sys.stdout.write(report)
    if a.output:
        with open(a.output, "w") as h:
            h.write(report)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
