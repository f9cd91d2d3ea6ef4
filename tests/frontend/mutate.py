#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes variants of a kernel file for the loader tests.
#   mutate.py IN OUT patch OFFSET FORMAT VALUE   (struct format, e.g. <I)
#   mutate.py IN OUT truncate N
#   mutate.py IN OUTDIR fuzz SEED COUNT          (seeded random corruptions)
#   mutate.py IN - find HEXBYTES                 (prints the first offset)
import random, struct, sys, os

def main():
    src, dst, op = sys.argv[1:4]
    data = bytearray(open(src, "rb").read())
    if op == "find":
        print(data.find(bytes.fromhex(sys.argv[4])))
    elif op == "patch":
        off, fmt, val = int(sys.argv[4], 0), sys.argv[5], int(sys.argv[6], 0)
        struct.pack_into(fmt, data, off, val)
        open(dst, "wb").write(data)
    elif op == "truncate":
        open(dst, "wb").write(data[: int(sys.argv[4], 0)])
    elif op == "fuzz":
        rnd = random.Random(int(sys.argv[4]))
        os.makedirs(dst, exist_ok=True)
        for i in range(int(sys.argv[5])):
            d = bytearray(data)
            for _ in range(rnd.randint(1, 4)):
                # mostly the ELF and program headers, sometimes anywhere
                off = rnd.randrange(0, 160 if rnd.random() < 0.8 else len(d))
                d[off] = rnd.choice([0, 0xff, 0x7f, 0x80, rnd.randrange(256)])
            if rnd.random() < 0.2:
                d = d[: rnd.randrange(len(d))]
            open(os.path.join(dst, "f%03d" % i), "wb").write(d)
    else:
        sys.exit("unknown operation " + op)

main()
