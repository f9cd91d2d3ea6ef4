#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The benchmark boot sectors of ../shared/bench (bench.asm) built with a
# small ITERS boot with -fda, print their B<mode> / E<checksum> markers on
# port 0xE9 and exit through isa-debug-exit (status 1), in 16-, 32- and
# 64-bit mode, for the ALU, SUB and MEM loops.
. tests/frontend/lib.sh
BENCH_ASM=""
for d in ../shared ../../shared /work/shared; do
	[ -f "$d/bench/bench.asm" ] && BENCH_ASM=$d/bench/bench.asm && break
done
if [ -z "$BENCH_ASM" ]; then
	skip "bench boot sectors" "shared/bench/bench.asm not found next to the tree"
	exit 0
fi
ITERS=1000
# KIND 0/2 end with ECX = 0; KIND 1 with sum(1..1000) = 500500 = 0x7a314
for mode in 16 32 64; do
	for kind in 0 1 2; do
		name="m$mode kind $kind"
		img=$W/bench-m$mode-k$kind.img
		if ! nasm -f bin -DMODE=$mode -DKIND=$kind -DITERS=$ITERS -o "$img" "$BENCH_ASM" 2>"$W/nasm.err"; then
			notok "$name: nasm failed: $(head -n 1 "$W/nasm.err")"
			continue
		fi
		want=$( [ $kind = 1 ] && echo E0007a314 || echo E00000000 )
		mc=$( [ $mode = 16 ] && echo 1 || { [ $mode = 32 ] && echo 3 || echo 6; } )
		run -fda "$img" -nodefaults -debugcon stdio -device isa-debug-exit,iobase=0xf4,iosize=0x4 -icount-limit 10M
		if [ "$rc" -ne 1 ] && cpu_gap; then
			skip "$name boot sector" "libpaccpu lacks an instruction it uses: $(head -n 1 "$W/err")"
			continue
		fi
		[ "$out" = "B$mc$want" ] && [ "$rc" -eq 1 ] && ok "$name: prints B$mc$want and exits with status 1" ||
			notok "$name: output '$out', status $rc, stderr '$err'"
	done
done
# without isa-debug-exit the image falls through to the Bochs shutdown port
img=$W/bench-m16-k0.img
run -fda "$img" -nodefaults -debugcon stdio -icount-limit 10M
if [ "$rc" -ne 0 ] && cpu_gap; then
	skip "bench boot sector via port 0x8900" "libpaccpu lacks an instruction it uses"
else
	[ "$rc" -eq 0 ] && [ "$out" = "B1E00000000" ] && ok "m16 without isa-debug-exit: \"Shutdown\" on 0x8900, status 0" ||
		notok "m16 via 0x8900: output '$out', status $rc"
fi
