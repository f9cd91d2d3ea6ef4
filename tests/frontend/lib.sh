# SPDX-License-Identifier: MIT
# Helpers for the front-end tests (sourced by tests/frontend/run-*.sh).
# Each check prints "ok - ..." or "not ok - ..." (counted by tests/run-tests.sh).
set -u
O=${O:-o}
PAC=${PAC:-./pacifica}
W=$O/tests/frontend
KD=tests/frontend/kernels
mkdir -p "$W"

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
skip() { echo "ok - $1 # SKIP $2"; }

# build NAME [nasm args...]: assembles tests/frontend/kernels/NAME.asm (or
# the file given by SRC=) into $W/NAME.bin (or OUTNAME=)
build() {
	local name=$1; shift
	local src=${SRC:-$KD/$name.asm} out=$W/${OUTNAME:-$name}.bin
	if ! nasm -f bin -I"$KD/" "$@" -o "$out" "$src" 2>"$W/nasm.err"; then
		notok "assemble $src: $(head -n 1 "$W/nasm.err")"
		return 1
	fi
}

# run CMD...: runs pacifica with the arguments; sets $rc, $out (stdout),
# $err (stderr). Output goes to files $W/out, $W/err as well.
run() {
	"$PAC" "$@" >"$W/out" 2>"$W/err" </dev/null
	rc=$?
	out=$(cat "$W/out")
	err=$(cat "$W/err")
}

# expect_status NAME WANT: checks $rc
expect_status() {
	if [ "$rc" -eq "$2" ]; then ok "$1 (exit status $2)"; else notok "$1: exit status $rc, expected $2; stderr: $(head -n 2 "$W/err" | tr '\n' ' ')"; fi
}

# expect_usage_error NAME PATTERN ARGS...: status 2, exactly one stderr line
# starting with "pacifica: " and matching PATTERN
expect_usage_error() {
	local name=$1 pat=$2; shift 2
	run "$@"
	local lines
	lines=$(printf '%s\n' "$err" | grep -c .)
	if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && printf '%s' "$err" | grep -q "^pacifica: .*$pat"; then
		ok "$name: one-line error, status 2"
	else
		notok "$name: status $rc, stderr '$err' (wanted one line matching '$pat')"
	fi
}

# expect_load_error NAME PATTERN ARGS...: status 4, one stderr line matching
expect_load_error() {
	local name=$1 pat=$2; shift 2
	run "$@"
	local lines
	lines=$(printf '%s\n' "$err" | grep -c .)
	if [ "$rc" -eq 4 ] && [ "$lines" -eq 1 ] && printf '%s' "$err" | grep -qE "^pacifica: .*($pat)"; then
		ok "$name: one-line error, status 4"
	else
		notok "$name: status $rc, stderr '$err' (wanted one line matching '$pat')"
	fi
}

# contains NAME ERE TEXT
contains() {
	if printf '%s\n' "$3" | grep -qE -- "$2"; then ok "$1"; else notok "$1: '$2' not found in: $(printf '%s' "$3" | head -c 300)"; fi
}

# cpu_gap: the last run stopped because libpaccpu lacks an instruction or
# a delivery path that other work is adding (reported, not a front-end bug)
cpu_gap() {
	grep -qE "unimplemented|real-mode exception with no handler" "$W/err"
}

# forward_kernel_checks NAME: passes the kernel's own ok/not ok lines on
forward_kernel_checks() {
	printf '%s\n' "$out" | grep -E '^(not )?ok - ' | sed "s/^\(\(not \)\{0,1\}ok - \)/\1$1: /"
}
