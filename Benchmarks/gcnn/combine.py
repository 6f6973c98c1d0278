"""Markdown tables from one raw output of Benchmarks/gcnn/run.sh (the Swift and escnn lines of one
run): python Benchmarks/gcnn/combine.py Benchmarks/gcnn/results/RUN.txt"""
import sys


def parse(path):
    swift, escnn = {}, {}
    for line in open(path):
        parts = line.split()
        if len(parts) < 2 or parts[0] not in ("swift", "escnn"):
            continue
        values = dict(p.split("=", 1) for p in parts[2:] if "=" in p)
        (swift if parts[0] == "swift" else escnn)[parts[1]] = values
    return swift, escnn


def f(x, digits=3):
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    return f"{v:.{digits}g}"


def main():
    swift, escnn = parse(sys.argv[1])
    print("| layer | basis per channel pair (archsynth / escnn) | forward s, batch 16 (archsynth / escnn); ratio escnn/archsynth | backward s (archsynth / escnn); ratio escnn/archsynth | 90° rotation error, Double (archsynth / escnn) | every point element (archsynth: × zero and unit translations / escnn) |")
    print("|---|---|---|---|---|---|")
    for name in ["C4_64", "D4_64", "C8_64", "D8_64"]:
        s, e = swift.get(name), escnn.get(name)
        if e is None:
            continue
        if s is None:
            print(f"| {name} | — / {e['basis_per_pair']} | — / {f(e['forward_median_s'])} | — / {f(e['backward_median_s'])} | — / {f(e['rotation90_error_double'])} | — / {f(e['every_element_max_error_double'])} |")
            continue
        per_pair = int(s["weights"]) // 64
        # BENCHMARKS.md convention: theirs / archsynth (above 1: archsynth faster).
        fr = float(e["forward_median_s"]) / float(s["forward_median_s"])
        br = float(e["backward_median_s"]) / float(s["backward_median_s"])
        print(
            f"| {name} | {per_pair} / {e['basis_per_pair']}"
            f" | {f(s['forward_median_s'])} / {f(e['forward_median_s'])}; {fr:.3f} | {f(s['backward_median_s'])} / {f(e['backward_median_s'])}; {br:.3f}"
            f" | {f(s['rotation90_error_double'])} / {f(e['rotation90_error_double'])} | {f(s['every_checked_error_double'])} / {f(e['every_element_max_error_double'])} |"
        )
    print()
    print("| layer | archsynth basis solve s (in process) | archsynth generate process s | compiled layer init s | escnn R2Conv s: cold cache / warm | ratio escnn/archsynth solve: cold / warm | ratio escnn warm / compiled init |")
    print("|---|---|---|---|---|---|---|")
    for name in ["C4_64", "D4_64"]:
        s, e = swift.get(name), escnn.get(name)
        if s is None or e is None or "basis_solve_s" not in s:
            continue
        solve, cold, warm, init = float(s["basis_solve_s"]), float(e["construct_first_s"]), float(e["construct_second_s"]), float(s["construct_s"])
        print(
            f"| {name} | {f(solve)} | {f(s['generate_process_s'])} | {f(init)} | {f(cold)} / {f(warm)} | {cold / solve:.1f} / {warm / solve:.1f} | {warm / init:.1f} |"
        )
    print()
    print("| reference layer | spec, fields | compile wall s (user s) | forward s (batch) | backward s | 90° rotation error Double / Float | point elements × zero and unit translations, Double |")
    print("|---|---|---|---|---|---|---|")
    for name, s in swift.items():
        if "reference" not in name:
            continue
        print(
            f"| {name} | {s['spec']} {s['in']} → {s['out']}, {s['support']}-stencil | {f(s['compile_wall_s'])} ({f(s['compile_user_s'])}) | {f(s['forward_median_s'])} ({s['batch']}) | {f(s['backward_median_s'])}"
            f" | {f(s['rotation90_error_double'])} / {f(s['rotation90_error_float'])} | {f(s['every_checked_error_double'])} ({s['checked_elements']} elements) |"
        )


if __name__ == "__main__":
    main()
