#!/usr/bin/env python3
"""Lines of the Swift files under Sources/ at each commit given, by kind: code, `///` doc comments,
other comments, blank. Usage: python3 Benchmarks/house/loc.py REV [REV ...] (run inside the repository)."""
import subprocess, sys, re, collections
def files(rev):
    out = subprocess.run(["git","ls-tree","-r","--name-only",rev,"--","Sources"],capture_output=True,text=True).stdout.split()
    return [f for f in out if f.endswith(".swift")]
def count(rev):
    tot = collections.Counter()
    for f in files(rev):
        text = subprocess.run(["git","show",f"{rev}:{f}"],capture_output=True,text=True).stdout
        code=doc=com=blank=0
        inblock=False
        for line in text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"):
            s=line.strip()
            if inblock:
                com+=1
                if "*/" in s: inblock=False
                continue
            if not s: blank+=1
            elif s.startswith("///"): doc+=1
            elif s.startswith("//"): com+=1
            elif s.startswith("/*"):
                com+=1
                if "*/" not in s: inblock=True
            else: code+=1
        tot["code"]+=code; tot["doc"]+=doc; tot["comment"]+=com; tot["blank"]+=blank
    tot["total"]=sum(tot[k] for k in ("code","doc","comment","blank"))
    return tot
for rev in sys.argv[1:]:
    print(rev, dict(count(rev)))
