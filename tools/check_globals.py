#!/usr/bin/env python3
"""check_globals.py — no mutable state at file scope outside main.c and src/catalog/.

Reads the object files of a build (default build/) with nm and lists every writable data symbol
(nm types b, B, d, D, C: .bss, .data, common; thread-locals included) of src/. Constant tables
live in .rodata and are fine. Process state belongs to objects that main.c creates and passes
down, or to the catalog.
Run: python3 tools/check_globals.py [BUILD_DIR]   (exit 0 and one summary line when clean)
"""
import os
import subprocess
import sys

ALLOWED = ("src/main.o", "src/catalog/")
# Symbols that are process-wide by nature, each with its reason.
EXCEPTIONS = {
}


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    objs = []
    for d, _, files in os.walk(os.path.join(build, "src")):
        objs += [os.path.join(d, f) for f in sorted(files) if f.endswith(".o")]
    if not objs:
        print(f"check_globals: no object files under {build}/src (build first)")
        return 2
    problems = 0
    for o in objs:
        rel = os.path.relpath(o, build)
        if rel.startswith(ALLOWED) or not os.path.exists(rel[:-2] + ".c"):
            continue
        out = subprocess.run(["nm", o], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) != 3 or parts[1] not in "bBdDC":
                continue
            name = parts[2].split(".")[0]  # function-local statics are "name.N"
            if (rel, name) in EXCEPTIONS or name.startswith((".L", "__")):
                continue
            print(f"{rel}: {name} ({parts[1]}) is mutable state at file scope")
            problems += 1
    print(f"check_globals: {len(objs)} objects, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
