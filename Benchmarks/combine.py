#!/usr/bin/env python3
"""Combines the outputs of Benchmarks/run.sh (in OUT, default Benchmarks/out) into
Markdown tables with ratios. Python standard library only.

Ratios are "theirs / ours": above 1 means archsynth is faster by that factor.
"""
import json
import os
import re
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "Benchmarks/out"


def load(name, default=None):
    path = os.path.join(OUT, name)
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return json.load(f)


def ms(seconds):
    v = seconds * 1000
    return f"{v:.3f}" if v < 1 else f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}"


def ratio(theirs, ours):
    if not theirs or not ours or theirs <= 0 or ours <= 0:
        return "—"
    r = theirs / ours
    return f"{r:.0f}×" if r >= 100 else f"{r:.1f}×" if r >= 10 else f"{r:.2f}×"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def groups_tables():
    groups = load("groups.json", {"results": []})["results"]
    out = []
    # Schreier–Sims: GAP prints "gap NAME: best of 3 T ms" (CPU time, Runtime()).
    gap = {}
    path = os.path.join(OUT, "gap_schreier_sims.txt")
    if os.path.exists(path):
        for line in open(path):
            m = re.match(r"gap (.+): best of \d+ (\d+) ms", line.strip())
            if m:
                gap[m.group(1)] = int(m.group(2)) / 1000
    ss = {}
    for r in groups:
        if r["benchmark"] == "schreier-sims":
            ss.setdefault(r["case"], {})[r["variant"]] = r["cpuSeconds"]
    rows = []
    for name, v in ss.items():
        g = gap.get(name)
        rows.append([name, ms(v["init"]), ms(v["randomized"]) if "randomized" in v else "—",
                     ms(v["deterministic"]) if "deterministic" in v else "—",
                     (f"{g * 1000:.0f}" if g is not None else "not run"),
                     ratio(g, v["init"]) if g else "—",
                     ratio(g, v["deterministic"]) if g and "deterministic" in v else "—"])
    out.append("### Schreier–Sims: archsynth vs GAP `Size(Group(gens))` (CPU ms, best of 3 each)\n\n" + table(
        ["input", "archsynth init", "randomized", "deterministic", "GAP", "GAP / init", "GAP / deterministic"], rows))

    # Todd–Coxeter: GAP prints "name<TAB>index<TAB>expected<TAB>T ms", once per run of the script.
    gap = {}
    path = os.path.join(OUT, "gap_cosets.txt")
    if os.path.exists(path):
        for line in open(path):
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 4 and parts[3].endswith(" ms"):
                t = int(parts[3][:-3]) / 1000
                name = parts[0]
                prev = gap.get(name)
                gap[name] = {"index": parts[1], "t": t if prev is None else min(prev["t"], t),
                             "runs": 1 if prev is None else prev["runs"] + 1}
    rows = []
    for r in groups:
        if r["benchmark"] != "todd-coxeter":
            continue
        g = gap.get(r["case"])
        if "error" in r:
            rows.append([r["case"], "failed: " + r["error"], "—", "—", "—"])
            continue
        gcell = "not run" if g is None else (f"{g['t'] * 1000:.0f}" if g["index"] != "fail" else "fail")
        if g is not None and g["index"] not in ("fail", str(r["cosets"])):
            gcell += f" (index {g['index']}!)"
        rows.append([r["case"], r["cosets"], ms(r["cpuSeconds"]), gcell,
                     ratio(g["t"], r["cpuSeconds"]) if g and g["index"] != "fail" else "—"])
    runs = max((g["runs"] for g in gap.values()), default=0)
    out.append(f"### Todd–Coxeter over the trivial subgroup: archsynth `ToddCoxeter.enumerate` vs GAP "
               f"`CosetTableFromGensAndRels` (CPU ms; best of 3 for archsynth (one run when a run takes over 10 s), best of {runs} run(s) of the GAP script)\n\n"
               + table(["presentation", "order", "archsynth", "GAP", "GAP / archsynth"], rows))
    return out


def solver_tables():
    solver = load("solver.json", {"results": []})["results"]
    emlp = {}
    path = os.path.join(OUT, "emlp.jsonl")
    if os.path.exists(path):
        for line in open(path):
            if line.startswith("{"):
                r = json.loads(line)
                emlp[r["id"]] = r
    out = []
    rows = []
    for r in solver:
        if "error" in r and "wallSeconds" not in r:
            ours = "failed: " + r["error"]
            rows.append([r["case"], r["group"], f"{r['input']} → {r['output']}", r.get("unknowns", "—"),
                         "—", "—", "—", ours, "—", "—", "—", dense_cell(r), "—", "—"])
            continue
        w = r["wallSeconds"]
        nnz = r["nonzeros"]
        rows.append([r["case"], r["group"], f"{r['input']} → {r['output']}", r["unknowns"], r["method"],
                     r["dimension"], nnz, ms(w), f"{w * 1e9 / nnz:.1f}" if nnz else "—",
                     ratio(w, r["writeSeconds"]),
                     ms(r["wallSecondsWithoutCharacterCheck"]) if "wallSecondsWithoutCharacterCheck" in r else "—",
                     dense_cell(r), ratio(r.get("denseWallSeconds"), w), r.get("certificate", "—")])
    out.append("### Intertwiner solver vs the dense-SVD baseline (wall ms, best of 3; dense cap 1600 unknowns)\n\n" + table(
        ["case", "group", "in → out", "d_in·d_out", "method", "dim", "nnz", "archsynth (ms)", "ns / nnz",
         "archsynth / write nnz", "w/o char. check (ms)", "dense SVD (ms)", "dense / archsynth", "certificate"], rows))

    if not emlp:
        out.append("### Intertwiner solver vs EMLP 1.0.3\n\nNot run: no `emlp.jsonl` in this output directory.\n")
        return out
    by_id = {r["case"]: r for r in solver}
    rows = []
    for cid, e in emlp.items():
        ours = by_id.get(cid, {})
        w = ours.get("wallSeconds")
        status = e["status"]
        if status == "ok":
            cell = f"{e['wallSeconds']:.2f} s (dim {e['dimension']})"
        elif status == "timeout":
            cell = f"timeout after {e['timeoutSeconds']:.0f} s"
        elif status == "wrong dimension":
            cell = f"{e['wallSeconds']:.2f} s, dim {e['dimension']} (expected {e['expectedDimension']}: wrong)"
        else:
            cell = f"failed: {e.get('error', '?')}"
        rows.append([cid, ours.get("group", "?"), ours.get("dimension", "—"), ms(w) if w else "—", cell,
                     ratio(e.get("wallSeconds"), w) if status in ("ok", "wrong dimension") else
                     (f"> {ratio(e['timeoutSeconds'], w)}" if status == "timeout" and w else "—")])
    out.append("### Intertwiner solver vs EMLP 1.0.3 `(V**k >> V**k).equivariant_basis()` (wall time; EMLP includes JAX compilation, one run per case in a fresh process)\n\n"
               + table(["case", "group", "dim (archsynth)", "archsynth (ms)", "EMLP", "EMLP / archsynth"], rows))
    return out


def dense_cell(r):
    if "denseWallSeconds" in r:
        cell = ms(r["denseWallSeconds"])
        if "dimension" in r and r.get("denseDimension") != r["dimension"]:
            cell += f" (dim {r.get('denseDimension')}, disagrees)"
        elif "dimension" not in r:
            cell += f" (dim {r.get('denseDimension')})"
        return cell
    return r.get("dense", "—").replace("skipped: ", "skipped (") + (")" if "skipped" in r.get("dense", "") else "")


def main():
    print("Ratios are theirs / archsynth: above 1 means archsynth is faster.\n")
    print("\n".join(groups_tables() + solver_tables()))


if __name__ == "__main__":
    main()
