#!/usr/bin/env bash
# Runs the guest test kernels (built by make) and passes their TAP-style
# lines through. A kernel that hangs, crashes or exits with a status other
# than 1 (isa-debug-exit value 0: (0 << 1) | 1) is reported "not ok".
#   run-guest.sh                 kernels of make check, on ./pacifica
#   run-guest.sh --qemu K...     the given kernels on qemu-system-x86_64 (TCG)
#   run-guest.sh K...            the given kernels on ./pacifica
set -u
O=${O:-o}
QEMU=${QEMU:-qemu-system-x86_64}
TIMEOUT=${GUEST_TIMEOUT:-60}
emu=pacifica
if [ "${1:-}" = --qemu ]; then
	emu=qemu
	shift
fi
if [ $# -eq 0 ]; then
	set -- $(make -s --no-print-directory print-guest-kernels O="$O" 2>/dev/null)
	if [ $# -eq 0 ]; then
		echo "ok - guest kernels # SKIP none enabled for pacifica yet"
		exit 0
	fi
fi
if [ "$emu" = qemu ] && [ -z "$QEMU" ]; then
	echo "not ok - check-qemu: qemu-system-x86_64 not found"
	exit 1
fi
# The emulator-only memory-type probe (docs/testing.md), once the front end has it.
probe=()
if [ "$emu" = pacifica ] && ./pacifica -device help 2>/dev/null | grep -q pac-memtype-probe; then
	probe=(-device pac-memtype-probe)
fi
# Pacifica is deterministic (DESIGN rule 9): a second run of a kernel that
# prints RDRAND and TSC values must print exactly the same.
determinism() { # kernel, output of the first run
	[ "$emu" = pacifica ] || return 0
	printf '%s\n' "$2" | grep -q '^# determinism:' || return 0
	local again
	again=$(timeout "$TIMEOUT" ./pacifica -kernel "$1" -serial stdio \
		-device isa-debug-exit,iobase=0xf4,iosize=0x4 "${probe[@]}" "${extra[@]}" -display none 2>/dev/null | tr -d '\r')
	if [ "$again" = "$2" ]; then
		echo "ok - $(basename "$1" .elf): a second run prints the same (RDRAND, TSC)"
	else
		echo "not ok - $(basename "$1" .elf): a second run differs"
		diff <(printf '%s\n' "$2") <(printf '%s\n' "$again") | head -n 5 | sed 's/^/# /'
	fi
}
status=0
errf=$(mktemp)
trap 'rm -f "$errf"' EXIT
for k in "$@"; do
	name=$(basename "$k" .elf)
	if [ ! -f "$k" ]; then
		echo "not ok - $name: kernel $k not built"
		status=1
		continue
	fi
	# per-kernel extra options: tests/guest/<area>/emu-args.<emulator>
	extra=()
	argf=tests/guest/$name/emu-args.$emu
	[ -f "$argf" ] && read -r -a extra < "$argf"
	if [ "$emu" = qemu ]; then
		out=$(timeout "$TIMEOUT" "$QEMU" -accel tcg -cpu max -m 128 -nodefaults \
			-no-reboot -display none -serial stdio \
			-device isa-debug-exit,iobase=0xf4,iosize=0x4 -kernel "$k" -append emu=qemu "${extra[@]}" 2>"$errf")
	else
		out=$(timeout "$TIMEOUT" ./pacifica -kernel "$k" -serial stdio \
			-device isa-debug-exit,iobase=0xf4,iosize=0x4 "${probe[@]}" "${extra[@]}" \
			-display none 2>"$errf")
	fi
	rc=$?
	out=$(printf '%s\n' "$out" | tr -d '\r')
	printf '%s\n' "$out"
	if [ "$rc" -eq 124 ]; then
		echo "not ok - $name: timed out after ${TIMEOUT}s on $emu"
	elif [ "$rc" -ne 1 ]; then
		echo "not ok - $name: exit status $rc on $emu"
	elif ! printf '%s\n' "$out" | grep -q '^# [0-9]* passed'; then
		echo "not ok - $name: no summary line on $emu"
	else
		echo "ok - $name: kernel ran to completion on $emu"
		determinism "$k" "$out"
		continue
	fi
	status=1
	sed 's/^/# stderr: /' "$errf" | head -n 5
done
exit $status
