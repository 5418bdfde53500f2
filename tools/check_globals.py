#!/usr/bin/env python3
"""check_globals.py — no mutable state at file scope outside main.c and src/catalog/.

Reads the object files of a build (default build/) with objdump -t and lists every data object
in a writable section of src/ (.data, .bss, thread-locals, common). Constant tables live in
.rodata or .data.rel.ro (read-only once relocated) and are fine. Process state belongs to objects that main.c creates and passes
down, or to the catalog.
Run: python3 tools/check_globals.py [BUILD_DIR]   (exit 0 and one summary line when clean)
"""
import os
import subprocess
import sys

ALLOWED = ("src/main.o", "src/catalog/")
# Symbols that are process-wide by nature, each with its reason.
EXCEPTIONS = {
    # GDAL is dlopen'd once for the process (it is a process-wide library with its own global
    # driver registry): its function table and the once-flag that fills it.
    ("src/tiles/gdalapi.o", "gdal"): "GDAL's function table",
    ("src/tiles/gdalapi.o", "gdal_once"): "GDAL's function table",
    # cairo's scaled-font map is process-wide; cairo 1.16 needs a lock beside it (top of
    # src/text/font.c: its lock-order deadlock between finalising a font and evicting a page).
    ("src/text/font.o", "fonts_lock"): "guards cairo's process-wide scaled-font map",
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
        out = subprocess.run(["objdump", "-t", o], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if " O " not in line or len(parts) < 5:
                continue
            section, name = parts[-3], parts[-1].split(".")[0]  # local statics are "name.N"
            if not section.startswith((".data", ".bss", ".tbss", ".tdata", "*COM*")) or \
                    section.startswith(".data.rel.ro"):
                continue
            if (rel, name) in EXCEPTIONS:
                continue
            print(f"{rel}: {name} ({section}) is mutable state at file scope")
            problems += 1
    print(f"check_globals: {len(objs)} objects, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
