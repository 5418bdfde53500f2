#!/usr/bin/env python3
"""check_includes.py — the source tree's architecture, checked from its #include lines.

A module is a .c file and its .h (src/core/pool.c + src/core/pool.h). The check fails when
  1. the module include graph has a cycle (printed as the strongly connected component), or
  2. an include points up the layers, or from one product into another:
       util < text < core < http < products (cards, refcards, tiles, web) < tools/bake < app (src/*.c)
     catalog sits beside http: products and app may include it, it includes only what is below.
Includes are root-relative ("core/pool.h", resolved against src/ then tools/).
It also checks that README.md's Architecture section names every folder and .c file of the tree.
Run: python3 tools/check_includes.py   (exit 0 and one summary line when the tree is clean)
"""
import os
import re
import sys

ROOTS = ("src", "tools")
RANK = {"util": 0, "text": 1, "core": 2, "http": 3, "catalog": 3,
        "cards": 4, "refcards": 4, "tiles": 4, "web": 4, "bake": 5, "app": 6}
PRODUCTS = {"cards", "refcards", "tiles", "web"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer(path):
    parts = path.split("/")
    if parts[0] == "tools":
        return "bake"
    return parts[1] if len(parts) > 2 else "app"


def resolve(inc):
    for root in ROOTS:
        p = os.path.normpath(os.path.join(root, inc))
        if os.path.exists(p):
            return p
    return None


def sources():
    for root, sub in (("src", ""), ("tools", "bake")):
        for d, _, files in os.walk(os.path.join(root, sub)):
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    yield os.path.join(d, f)


def strongly_connected(edges):
    index, low, stack, on, comps = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return comps


def readme_map_problems():
    """Every folder (as `src/dir/`) and .c file (by name) in README.md's Architecture section."""
    with open("README.md", encoding="utf-8") as f:
        readme = f.read()
    start = readme.find("## Architecture")
    section = readme[start:readme.find("\n## ", start + 1)] if start >= 0 else ""
    out = []
    for path in sources():
        folder = os.path.dirname(path) + "/"
        if folder != "src/" and "`" + folder + "`" not in section:
            out.append(f"README.md Architecture: folder {folder} is not in the source map")
        if path.endswith(".c") and "`" + os.path.basename(path) + "`" not in section and \
                "`" + path + "`" not in section:
            out.append(f"README.md Architecture: {path} is not in the source map")
    return sorted(set(out))


def main():
    edges, problems, nincludes = {}, [], 0
    for path in sources():
        module = os.path.splitext(path)[0]
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for inc in INCLUDE.findall(text):
            target = resolve(inc)
            if target is None:
                problems.append(f"{path}: #include \"{inc}\" is not root-relative or does not exist")
                continue
            nincludes += 1
            tmod = os.path.splitext(target)[0]
            if tmod != module:
                edges.setdefault(module, set()).add(tmod)
            a, b = layer(path), layer(target)
            if a == b:
                continue
            if a in PRODUCTS and b in PRODUCTS:
                problems.append(f"{path} includes {target}: one product includes another")
            elif RANK[b] >= RANK[a]:
                problems.append(f"{path} includes {target}: {a} may not include {b} (layers point down)")
    for comp in strongly_connected(edges):
        problems.append("include cycle: " + " <-> ".join(comp))
    problems += readme_map_problems()
    for p in problems:
        print(p)
    print(f"check_includes: {len(edges)} modules, {nincludes} includes, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
