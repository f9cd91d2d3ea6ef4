#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The pacifica command line: informational options, and every kind of bad
# option giving one line on stderr and exit status 2.
. tests/frontend/lib.sh

run -help
[ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q "^Usage: pacifica" && ok "-help prints the usage, status 0" || notok "-help: status $rc"
run --help
[ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q -- "-icount-limit" && ok "--help works too" || notok "--help: status $rc"
run -version
[ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q "^Pacifica emulator version" && ok "-version" || notok "-version: status $rc '$out'"
run -cpu help
[ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q "zen4 (default)" && ok "-cpu help lists the models" || notok "-cpu help: '$out'"
run -d help
[ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q "stats" && ok "-d help lists the categories" || notok "-d help: '$out'"
run -device help
[ "$rc" -eq 0 ] && printf '%s' "$out" | grep -q "isa-debug-exit" && ok "-device help lists the devices" || notok "-device help: '$out'"

expect_usage_error "unknown option" "unknown option '-bogus'" -bogus
expect_usage_error "unknown double-dash option" "unknown option '--frobnicate'" --frobnicate
expect_usage_error "bare argument" "unexpected argument 'disk.img'" disk.img
expect_usage_error "missing argument" "option '-kernel' needs an argument" -kernel
expect_usage_error "missing argument at the end" "option '-m' needs an argument" -nographic -m
expect_usage_error "-m not a number" "invalid memory size 'lots'" -m lots
expect_usage_error "-m too small" "too small" -m 1
expect_usage_error "-m with a K suffix below the minimum" "too small" -m 1024K
expect_usage_error "-m too large" "too large" -m 4096G
expect_usage_error "-m bad suffix" "invalid memory size" -m 12Q
expect_usage_error "-m negative" "invalid memory size" -m -5
expect_usage_error "-smp 0" "invalid CPU count '0'" -smp 0
expect_usage_error "-smp 65" "invalid CPU count" -smp 65
expect_usage_error "-cpu unknown model" "unknown CPU model 'pentium9'" -cpu pentium9
expect_usage_error "-cpu feature flags" "feature flags" -cpu zen4,+avx512f
expect_usage_error "-serial bad backend" "unsupported character device 'tcp:1234'" -serial tcp:1234
expect_usage_error "-serial file: without a path" "unsupported character device" -serial file:
expect_usage_error "-debugcon bad backend" "-debugcon: unsupported" -debugcon vc
expect_usage_error "-device unknown" "unknown device 'e1000'" -device e1000
expect_usage_error "-device bad property" "bad property 'iobase=zz'" -device isa-debug-exit,iobase=zz
expect_usage_error "-device unknown property" "bad property 'speed=3'" -device isa-debug-exit,speed=3
expect_usage_error "-device iosize 0" "bad property" -device isa-debug-exit,iosize=0
expect_usage_error "-device range beyond 0xffff" "beyond 0xffff" -device isa-debug-exit,iobase=0xfffe,iosize=4
expect_usage_error "-d unknown category" "unknown log category 'everything'" -d insn,everything
expect_usage_error "-display sdl" "only 'none'" -display sdl
expect_usage_error "-icount-limit garbage" "invalid count 'many'" -icount-limit many
expect_usage_error "-append without -kernel" "only allowed with -kernel" -append "x=1"
expect_usage_error "-initrd without -kernel" "only allowed with -kernel" -initrd mod
expect_usage_error "-kernel with -fda" "cannot be combined" -kernel a -fda b
run -D /nonexistent-dir/log -d stats
[ "$rc" -eq 2 ] && printf '%s' "$err" | grep -q "^pacifica: -D: cannot open" && ok "-D into a missing directory: status 2" || notok "-D bad path: $rc '$err'"

# accepted spellings: run a kernel that halts at once (status 6)
build exitk -DACTION=1 || exit 0
for m in 64 512M 1G 0x40 size=96M; do
	run -m "$m" -kernel "$W/exitk.bin" -nographic -display none -nodefaults -serial null
	expect_status "-m $m is accepted" 6
done
OUTNAME=exitk2 build exitk -DACTION=2 || exit 0
run -smp cpus=2 -cpu zen2 -kernel "$W/exitk2.bin" -serial null -icount-limit 2M -device isa-debug-exit,iobase=0xf4
expect_status "-smp cpus=2 -cpu zen2: the BSP runs while the AP waits for SIPI" 11
