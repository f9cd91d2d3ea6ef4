#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes malformed (and a few well-formed) Multiboot kernels for
# run-frontend-robust.sh into the directory given as argv[1]:
# NAME.bin per case, plus rand-NN.bin: seeded random corruptions of good ELF32,
# ELF64 and a.out-kludge kernels.
import os, random, struct, sys

D = sys.argv[1]
MB_MAGIC = 0x1BADB002
LOAD = 0x100000
CODE = bytes([0xfa, 0xf4, 0xeb, 0xfd])  # cli; hlt; jmp $-1


def mb_header(flags=0, extra=(), checksum=None):
    if checksum is None:
        checksum = (-(MB_MAGIC + flags)) & 0xffffffff
    return struct.pack('<III', MB_MAGIC, flags, checksum) + b''.join(struct.pack('<I', x) for x in extra)


def elf32(phdrs=None, entry=LOAD + 0xe0, body=None, ehdr_over=None, phoff=52, phnum=None):
    """ELF32 executable: header, program headers at phoff, Multiboot header
    and code at 0xc0/0xe0, loaded at LOAD from file offset 0."""
    img = bytearray(0x100)
    img[0xc0:0xc0 + 12] = mb_header()
    img[0xe0:0xe0 + len(CODE)] = CODE
    if body is not None:
        img = bytearray(body)
    if phdrs is None:
        phdrs = [(1, 0, LOAD, LOAD, len(img), len(img), 5, 0x1000)]
    n = len(phdrs) if phnum is None else phnum
    ident = b'\x7fELF' + bytes([1, 1, 1]) + bytes(9)
    eh = ident + struct.pack('<HHIIIIIHHHHHH', 2, 3, 1, entry, phoff, 0, 0, 52, 32, n, 40, 0, 0)
    img[0:52] = eh
    for i, (t, off, va, pa, fsz, msz, fl, al) in enumerate(phdrs):
        p = struct.pack('<IIIIIIII', t, off, va, pa, fsz, msz, fl, al)
        o = phoff + 32 * i
        if o + 32 <= len(img):
            img[o:o + 32] = p
    if ehdr_over:
        for off, fmt, val in ehdr_over:
            struct.pack_into(fmt, img, off, val)
    return bytes(img)


def elf64(paddr=LOAD, memsz=None, filesz=None, offset=0, entry=LOAD + 0xe0):
    img = bytearray(0x100)
    img[0xc0:0xc0 + 12] = mb_header()
    img[0xe0:0xe0 + len(CODE)] = CODE
    ident = b'\x7fELF' + bytes([2, 1, 1]) + bytes(9)
    img[0:64] = ident + struct.pack('<HHIQQQIHHHHHH', 2, 62, 1, entry, 64, 0, 0, 64, 56, 1, 64, 0, 0)
    fs = len(img) if filesz is None else filesz
    ms = len(img) if memsz is None else memsz
    img[64:120] = struct.pack('<IIQQQQQQ', 1, 5, offset, paddr, paddr, fs, ms, 0x1000)
    return bytes(img)


def aout(header_addr=LOAD, load_addr=LOAD, load_end=0, bss_end=0, entry=LOAD + 0x40, size=0x100):
    img = bytearray(size)
    flags = 1 << 16
    img[0:32] = mb_header(flags, (header_addr, load_addr, load_end, bss_end, entry))
    img[0x40:0x40 + len(CODE)] = CODE
    return bytes(img)


cases = {
    'empty': b'',
    'one-byte': b'\x7f',
    'elf-magic-only': b'\x7fELF',
    'elf-hdr-40': elf32()[:40],
    'elf-hdr-51': elf32()[:51],
    'elf-phdr-cut': elf32()[:60],
    'elf-phoff-huge': elf32(phoff=0xfffffff0),
    'elf-phnum-ffff': elf32(phnum=0xffff),
    'elf-off-beyond': elf32(phdrs=[(1, 0xfffff000, LOAD, LOAD, 0x2000, 0x2000, 5, 0)]),
    'elf-off-wrap': elf32(phdrs=[(1, 0xffffffff, LOAD, LOAD, 2, 2, 5, 0)]),
    'elf-filesz-gt-memsz': elf32(phdrs=[(1, 0, LOAD, LOAD, 0x100, 0x10, 5, 0)]),
    'elf-paddr-beyond-ram': elf32(phdrs=[(1, 0, LOAD, 0xf0000000, 0x100, 0x100, 5, 0)]),
    'elf-paddr-wrap': elf32(phdrs=[(1, 0, LOAD, 0xffffff00, 0x100, 0x200, 5, 0)]),
    'elf-paddr-zero-page': elf32(phdrs=[(1, 0, 0, 0, 0x100, 0x100, 5, 0)]),
    'elf-huge-memsz': elf32(phdrs=[(1, 0, LOAD, LOAD, 0x100, 0xffffffff, 5, 0)]),
    'elf-memsz-past-ram': elf32(phdrs=[(1, 0, LOAD, LOAD, 0x100, 0x7ff00000, 5, 0)]),
    'elf-overlap': elf32(phdrs=[(1, 0, LOAD, LOAD, 0x100, 0x100, 5, 0),
                                (1, 0, LOAD + 0x80, LOAD + 0x80, 0x100, 0x100, 5, 0)]),
    'elf-entry-outside': elf32(entry=0xdeadbeef),
    'elf-no-load': elf32(phdrs=[(4, 0, 0, 0, 0, 0, 0, 0)]),
    'elf64-paddr-huge': elf64(paddr=0xfffffffffffff000),
    'elf64-memsz-huge': elf64(memsz=0xffffffffffffff00),
    'elf64-off-huge': elf64(offset=0xffffffffffffff00),
    'aout-load-after-header': aout(load_addr=LOAD + 0x10),
    'aout-end-before-load': aout(load_end=LOAD - 0x1000),
    'aout-end-huge': aout(load_end=0xfffff000),
    'aout-bss-huge': aout(bss_end=0xfffffff0),
    'aout-bss-before-end': aout(load_end=LOAD + 0x100, bss_end=LOAD + 0x10),
    'aout-load-in-vga-hole': aout(header_addr=0xa0000, load_addr=0xa0000, entry=0xa0040),
    'aout-header-addr-zero': aout(header_addr=0, load_addr=0, entry=0x40),
    'aout-entry-outside': aout(entry=0x80000000),
    'aout-load-wrap': aout(header_addr=0xffffff00, load_addr=0xffffff00, entry=0xffffff40),
    'mb-bad-checksum': bytes(16) + mb_header(checksum=0x12345678) + bytes(64),
    'mb-header-at-end': bytes(8188) + struct.pack('<I', MB_MAGIC),
    'mb-unknown-flags': bytes(16) + mb_header(flags=0x0000fff8) + bytes(64),
    'mb-video-mode': bytes(16) + mb_header(flags=4) + bytes(64),
}
for name, data in cases.items():
    with open(os.path.join(D, name + '.bin'), 'wb') as f:
        f.write(data)

rng = random.Random(20261121)
goods = [elf32(), elf64(), aout(load_end=LOAD + 0x100, bss_end=LOAD + 0x200)]
for i in range(60):
    img = bytearray(goods[i % 3])
    for _ in range(rng.randint(1, 6)):
        pos = rng.randrange(0, 0xd0)
        img[pos] = rng.choice([0, 0xff, 0x80, 0x7f, rng.randrange(256)])
    if rng.random() < 0.2:
        img = img[:rng.randrange(0, len(img))]
    with open(os.path.join(D, 'rand-%02d.bin' % i), 'wb') as f:
        f.write(img)
