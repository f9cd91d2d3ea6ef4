#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Devices and exit statuses: COM1 (16550A registers, -serial sinks), port
# 0xE9, isa-debug-exit, the 0x8900 shutdown port, HLT, -icount-limit,
# triple fault with and without -no-reboot, -d logging and statistics.
. tests/frontend/lib.sh
DE="-device isa-debug-exit,iobase=0xf4,iosize=4"
for a in 1 2 3 4 5; do OUTNAME=exit$a build exitk -DACTION=$a || exit 0; done
OUTNAME=exit2b build exitk -DACTION=2 -DDE_PORT=0x501 || exit 0
build uart || exit 0

run -kernel "$W/uart.bin" $DE -debugcon stdio -serial "file:$W/com1.txt"
forward_kernel_checks uart
expect_status "UART register test" 1
[ "$(cat "$W/com1.txt")" = "uart-out" ] && ok "-serial file: holds exactly the line sent, no loopback bytes" || notok "-serial file: '$(cat "$W/com1.txt")'"

run -kernel "$W/exit1.bin"
expect_status "HLT with interrupts off" 6
contains "HLT message names the reason and RIP" "^pacifica: guest halted with interrupts disabled at RIP=0x1" "$err"
[ "$out" = "hello serial" ] && ok "COM1 goes to stdout by default" || notok "default serial output: '$out'"

run -kernel "$W/exit2.bin" $DE
expect_status "isa-debug-exit value 5 gives (5 << 1) | 1" 11
[ -z "$err" ] && ok "isa-debug-exit ends quietly" || notok "isa-debug-exit printed '$err'"
run -kernel "$W/exit2b.bin" -device isa-debug-exit
expect_status "isa-debug-exit at QEMU's default port 0x501" 11
run -kernel "$W/exit2.bin"
expect_status "without -device, port 0xf4 is unassigned and the guest halts" 6

run -kernel "$W/exit3.bin" -debugcon "file:$W/e9.txt"
expect_status "\"Shutdown\" on port 0x8900 powers off" 0
[ "$(cat "$W/e9.txt")" = "hello e9" ] && ok "-debugcon file: gets the port 0xE9 bytes" || notok "debugcon file: '$(cat "$W/e9.txt")'"

run -kernel "$W/exit4.bin" -icount-limit 5k -d stats -D "$W/stats.txt"
expect_status "-icount-limit stops an endless loop" 10
contains "limit message" "instruction limit \\(-icount-limit\\) reached" "$err"
contains "-d stats counts exactly 5000 instructions" "^stats cpu0: instructions 5000, cycles [0-9]*, tlb-misses [0-9]*, walk-refs [0-9]*" "$(cat "$W/stats.txt")"
contains "-d stats lists exceptions" "^stats cpu0: exceptions none" "$(cat "$W/stats.txt")"

run -kernel "$W/exit1.bin" -nodefaults
[ -z "$out" ] && [ "$rc" -eq 6 ] && ok "-nodefaults: no COM1 output" || notok "-nodefaults: '$out' status $rc"
run -kernel "$W/exit1.bin" -serial none -serial stdio
[ -z "$out" ] && ok "-serial none leaves COM1 out (second -serial is COM2)" || notok "-serial none: '$out'"
run -kernel "$W/exit1.bin" -debugcon stdio
[ "$out" = "$(printf 'hello serial\nhello e9')" ] && ok "-debugcon stdio shares stdout with COM1" || notok "debugcon stdio: '$out'"

run -kernel "$W/exit1.bin" -d insn,exec -D "$W/insn.txt"
first=$(head -n 1 "$W/insn.txt")
contains "-d insn: CPU, CS:RIP, bytes and disassembly" "^cpu0 0008:00100[0-9a-f]{3}  bc ([0-9a-f]{2} ){4} +mov esp, 0x100[0-9a-f]{3}$" "$first"
n=$(grep -c '^cpu0 0008:' "$W/insn.txt")
[ "$n" -ge 200 ] && ok "-d insn: one line per instruction ($n)" || notok "-d insn: only $n lines"
run -kernel "$W/exit1.bin" -d exec
contains "-d exec: CPU and CS:RIP only" "^cpu0 0008:00100[0-9a-f]{3}$" "$err"
run -kernel "$W/exit1.bin" -d cpu -icount-limit 1
contains "-d cpu: registers before the instruction" "^cpu0 RAX=000000002badb002" "$err"

run -kernel "$W/exit5.bin" -no-reboot -d int,stats
if cpu_gap; then
	skip "triple fault with -no-reboot" "libpaccpu cannot deliver protected-mode exceptions yet"
else
	expect_status "UD2 without an IDT: triple fault, -no-reboot" 8
	contains "shutdown message" "^pacifica: guest shut down \\(triple fault\\) at RIP=" "$err"
	contains "-d int logs the #UD" "^cpu0 exception 6 #UD at RIP=0x1" "$err"
	contains "-d stats counts the #UD" "#UD\\(6\\)=1" "$err"
	run -kernel "$W/exit5.bin"
	expect_status "triple fault without -no-reboot: reset, same fault again, stop" 8
	contains "reset is announced" "resetting \\(use -no-reboot to stop\\)" "$err"
	contains "the repeated fault ends the run" "reset again the same way after a reset" "$err"
	[ "$(printf '%s\n' "$out" | grep -c 'hello serial')" -eq 2 ] && ok "the kernel ran again after the reset" || notok "reset: '$out'"
fi

# the PC platform: PIT IRQ 0 through the 8259 wakes HLT in real mode
build irqboot || exit 0
run -fda "$W/irqboot.bin" -nodefaults $DE -icount-limit 1M -d int
expect_status "real mode: three timer interrupts wake HLT, then isa-debug-exit 7" 15
n=$(grep -c "^cpu0 interrupt 0x08" "$W/err")
[ "$n" -eq 3 ] && ok "-d int shows the three IRQ 0 deliveries at vector 0x08" || notok "IRQ 0 deliveries: $n"
