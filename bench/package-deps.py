#!/usr/bin/env python3
"""Counts the hub's packages, package-to-package dependencies (from imports and fully qualified names, comments and
strings left out) and cycles.

  python3 bench/package-deps.py [src/main/java] [top|full] [-v]

top: top-level packages (api, processors, ...); full: every package (processors.sync, providers.salesforce, ...).
-v lists each package's dependencies. Standard library only.
"""
import os, re, sys, itertools
root = sys.argv[1] if len(sys.argv) > 1 else "src/main/java"
level = sys.argv[2] if len(sys.argv) > 2 else "top"
classes = {}   # fqcn -> package
files = []
for d, _, fs in os.walk(root):
    for f in fs:
        if f.endswith(".java"):
            p = os.path.join(d, f); src = re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\])*"', ' ', open(p).read(), flags=re.S)
            m = re.search(r'^package\s+([\w.]+);', src, re.M)
            pkg = m.group(1) if m else ""
            classes[pkg + "." + f[:-5]] = pkg
            files.append((pkg, src))
pkgs = set(classes.values())
def key(p): return p.split(".")[0] if level == "top" else p
deps = {}
for pkg, src in files:
    for m in re.finditer(r'^import\s+(?:static\s+)?([\w.]+?)(?:\.\*)?;', src, re.M):
        name = m.group(1)
        target = None
        parts = name.split(".")
        for i in range(len(parts), 0, -1):
            cand = ".".join(parts[:i])
            if cand in classes: target = classes[cand]; break
            if cand in pkgs: target = cand; break
        if target is None: continue
        a, b = key(pkg), key(target)
        if a != b: deps.setdefault(a, set()).add(b)
    # fully qualified uses in code
    for m in re.finditer(r'\b((?:[a-z]\w*\.)+[A-Z]\w*)', src):
        if m.group(1) in classes:
            a, b = key(pkg), key(classes[m.group(1)])
            if a != b: deps.setdefault(a, set()).add(b)
nodes = sorted({key(p) for p in pkgs})
edges = sum(len(v) for v in deps.values())
# cycles: strongly connected components via Tarjan
idx, low, st, on, sccs, c = {}, {}, [], set(), [], [0]
def sc(v):
    idx[v] = low[v] = c[0]; c[0] += 1; st.append(v); on.add(v)
    for w in deps.get(v, ()):
        if w not in idx: sc(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], idx[w])
    if low[v] == idx[v]:
        comp = []
        while True:
            w = st.pop(); on.discard(w); comp.append(w)
            if w == v: break
        if len(comp) > 1: sccs.append(sorted(comp))
sys.setrecursionlimit(10000)
for v in nodes:
    if v not in idx: sc(v)
mutual = sorted({tuple(sorted((a, b))) for a in deps for b in deps[a] if a in deps.get(b, ())})
print(f"level={level} packages={len(nodes)} dependencies={edges} cyclic-groups={len(sccs)} mutual-pairs={len(mutual)}")
for s in sccs: print("  cycle:", " ".join(s))
for m in mutual: print("  mutual:", *m)
if "-v" in sys.argv:
    for a in sorted(deps): print(f"  {a} -> {' '.join(sorted(deps[a]))}")
