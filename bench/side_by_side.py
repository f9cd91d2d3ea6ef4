#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Turns the table of ../shared/bench/summarize.py (one row per emulator,
# mode and loop) into one row per mode and loop with a MIPS column per
# emulator (CPU-time based, baseline subtracted). Reads stdin.
import sys

rows = {}
emus = []
for line in sys.stdin:
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) != 9 or not cells[1].endswith("-bit"):
        continue
    emu, mode, loop, mips_cpu = cells[0], cells[1], cells[2], cells[7]
    if emu not in emus:
        emus.append(emu)
    rows.setdefault((mode, loop), {})[emu] = mips_cpu
order = ["pacifica", "bochs", "qemu"]
emus.sort(key=lambda e: order.index(e) if e in order else 99)
print("| mode | loop | " + " | ".join(e + " MIPS" for e in emus) + " |")
print("|---|---|" + "---|" * len(emus))
loops = {"alu": 0, "sub": 1, "mem": 2}
for (mode, loop) in sorted(rows, key=lambda k: (-int(k[0].split("-")[0]), loops.get(k[1], 9))):
    print("| %s | %s | " % (mode, loop) + " | ".join(rows[(mode, loop)].get(e, "-") for e in emus) + " |")
