#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Front-end robustness: pacifica fed truncated/corrupted Multiboot kernels
# (tests/fuzz/mkkernels.py: truncated ELF headers, program headers outside
# the file or RAM, huge p_memsz, overlapping segments, bad a.out-kludge
# addresses, bad checksums, 60 seeded random corruptions), unusable files
# and bad option values. Every run must end with a non-zero status (not a
# signal), exactly one line on stderr and no sanitizer report.
set -u
O=${O:-o}
PAC=${PAC:-./pacifica}
W=$O/tests/fuzz/frontend
rm -rf "$W"
mkdir -p "$W/k"
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }

if ! python3 tests/fuzz/mkkernels.py "$W/k"; then
	notok "frontend robustness: mkkernels.py failed"
	exit 0
fi

# check NAME WANT_STATUS(any|N) ARGS...
check() {
	local name=$1 want=$2; shift 2
	"$PAC" "$@" </dev/null >"$W/out" 2>"$W/err"
	local rc=$? lines
	lines=$(grep -c '' "$W/err")
	if grep -qE 'Sanitizer|runtime error:|LeakSanitizer' "$W/err"; then
		notok "$name: sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error:' "$W/err")"
	elif [ "$rc" -eq 0 ] || [ "$rc" -ge 128 ]; then
		notok "$name: exit status $rc; stderr: $(head -c 200 "$W/err")"
	elif [ "$want" != any ] && [ "$rc" -ne "$want" ]; then
		notok "$name: exit status $rc, expected $want; stderr: $(head -c 200 "$W/err")"
	elif [ "$lines" -ne 1 ]; then
		notok "$name: $lines lines on stderr: $(head -c 200 "$W/err" | tr '\n' '|')"
	else
		ok "$name: status $rc, one line on stderr"
	fi
}

RUN="-m 16 -nodefaults -no-reboot -icount-limit 200k"
# kernels that load (and then halt, fault or run out of budget) — any status
loads=" elf-overlap elf-entry-outside elf-paddr-zero-page aout-header-addr-zero "
for f in "$W"/k/*.bin; do
	n=$(basename "$f" .bin)
	case "$n" in
	rand-*) continue;;
	esac
	if [[ "$loads" == *" $n "* ]]; then
		check "kernel $n" any $RUN -kernel "$f"
	else
		check "kernel $n rejected" 4 $RUN -kernel "$f"
	fi
done
bad=0; nrand=0
for f in "$W"/k/rand-*.bin; do
	nrand=$((nrand + 1))
	out=$(check "random kernel $(basename "$f")" any $RUN -kernel "$f")
	case "$out" in not*) echo "$out"; bad=$((bad + 1));; esac
done
[ "$bad" -eq 0 ] && ok "$nrand randomly corrupted kernels: each a non-zero status, one line on stderr"

# files that cannot be used as a kernel or disk
check "directory as kernel" 4 $RUN -kernel "$W/k"
check "path through a regular file" 4 $RUN -kernel "$W/k/empty.bin/x"
check "missing file" 4 $RUN -kernel "$W/k/does-not-exist"
check "directory as -fda" 4 $RUN -fda "$W/k"
check "empty -fda" 4 $RUN -fda "$W/k/empty.bin"
check "/proc/self/mem as kernel" 4 $RUN -kernel /proc/self/mem
if [ "$(id -u)" -ne 0 ]; then
	cp "$W/k/elf-overlap.bin" "$W/noread.bin" && chmod 000 "$W/noread.bin"
	check "unreadable kernel" 4 $RUN -kernel "$W/noread.bin"
else
	echo "ok - unreadable kernel # SKIP running as root (permissions do not apply)"
fi
check "missing initrd module" 4 $RUN -kernel "$W/k/elf-overlap.bin" -initrd "$W/k/nope"
check "directory as initrd module" 4 $RUN -kernel "$W/k/elf-overlap.bin" -initrd "$W/k"
check "-serial file in a missing directory" 4 $RUN -serial file:/nonexistent/dir/f -kernel "$W/k/elf-overlap.bin"

# bad option values: one line, status 2
while IFS='|' read -r name args; do
	[ -n "$name" ] || continue
	# shellcheck disable=SC2086
	check "option $name" 2 $args
done <<'OPTS'
-m 0|-m 0
-m negative|-m -1
-m huge|-m 99999999999999G
-m overflow|-m 18446744073709551615
-m garbage|-m 12abc
-m empty|-m
-smp 0|-smp 0
-smp 65|-smp 65
-smp garbage|-smp two
-smp huge|-smp 4294967297
-cpu unknown|-cpu no-such-cpu
-icount-limit negative|-icount-limit -5
-icount-limit huge|-icount-limit 99999999999999999999G
-icount-limit garbage|-icount-limit 1e9
-serial unknown|-serial tcp:1234
-serial file: without a name|-serial file:
-debugcon unknown|-debugcon bogus
-device unknown|-device e1000
-device bad iobase|-device isa-debug-exit,iobase=0x10000
-device bad iosize|-device isa-debug-exit,iosize=0
-device garbage property|-device isa-debug-exit,foo=1
-d unknown category|-d nonsense
-rtc bad date|-rtc base=2026-13-45
-rtc garbage|-rtc base=
-display sdl|-display sdl
unknown option|-frobnicate
missing value|-kernel
-append without -kernel|-append x
-kernel with -fda|-kernel a -fda b
stray argument|stray
-D into a missing directory|-d insn -D /nonexistent/dir/log
OPTS
exit 0
