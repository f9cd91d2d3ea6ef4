#!/usr/bin/env bash
# Runs every test program and counts TAP-style lines ("ok - ..." /
# "not ok - ..." / "ok - ... # SKIP ..."). Ends with "N passed, N failed[, N skipped]".
set -u
O=${O:-o}
pass=0; fail=0; skip=0
log=$O/test-log.txt
: > "$log"
run_one() { # name, command...
	local name=$1; shift
	local out rc
	out=$("$@" 2>&1); rc=$?
	printf '%s\n' "$out" >> "$log"
	local p f s
	p=$(printf '%s\n' "$out" | grep -E '^ok - ' | grep -vc '# SKIP')
	s=$(printf '%s\n' "$out" | grep -E '^ok - .*# SKIP' -c)
	f=$(printf '%s\n' "$out" | grep -Ec '^not ok - ')
	printf '%s\n' "$out" | grep -E '^not ok - ' || true
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		printf '%s\n' "$out" | tail -n 5
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then
		echo "not ok - $name reported nothing"
		f=1
	fi
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
}
for t in "$O"/tests/unit/test_* "$O"/tests/regress/*; do
	[ -x "$t" ] || continue
	case "$t" in *.d|*.o) continue;; esac
	run_one "$(basename "$t")" "$t"
done
for s in tests/guest/run-*.sh tests/diff/run-*.sh tests/frontend/run-*.sh tests/fuzz/run-*.sh; do
	[ -f "$s" ] || continue
	run_one "$(basename "$s")" bash "$s"
done
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
