#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ./pacifica with no arguments boots the embedded demo kernel, which reports
# over COM1 and leaves through isa-debug-exit with 0 (status 1, as QEMU).
. tests/frontend/lib.sh
run
if [ "$rc" -ne 1 ] && cpu_gap; then
	skip "demo guest" "libpaccpu lacks something the demo uses: $(head -n 1 "$W/err")"
	exit 0
fi
expect_status "demo guest exits through isa-debug-exit" 1
contains "demo: Multiboot hand-over" "^multiboot: EAX=0x2badb002, mem_lower=639 KiB, mem_upper=130048 KiB, cmdline=\"demo \", loader=pacifica$" "$out"
contains "demo: CPUID vendor" "^CPUID: vendor AuthenticAMD" "$out"
contains "demo: long mode" "^64-bit long mode: EFER=0x0000000000000500 CR4=0x0000000000000020" "$out"
contains "demo: computations" "fib\\(90\\)=2880067194370816120 20!=2432902008176640000 sum\\(k\\^2, k<=1000\\)=333833500 popcount\\(0xdeadbeefcafebabe\\)=46$" "$out"
