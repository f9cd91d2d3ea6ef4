#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Multiboot and boot-sector loading: good ELF32/ELF64/a.out-kludge kernels
# (which check the hand-over themselves), and malformed files, which must
# give one line naming the problem and exit status 4 — never a crash.
. tests/frontend/lib.sh
MUT="python3 tests/frontend/mutate.py"
DE="-device isa-debug-exit,iobase=0xf4,iosize=4"

SRC=$KD/elfk.asm OUTNAME=elf32 build elfk || exit 0
SRC=$KD/elfk.asm OUTNAME=elf64 build elfk -DELF64 || exit 0
build mbinfo || exit 0
build exitk -DACTION=1 || exit 0

for k in elf32 elf64; do
	run -kernel "$W/$k.bin" $DE
	forward_kernel_checks "$k"
	expect_status "$k kernel runs to isa-debug-exit" 1
done

printf 'MOD1' > "$W/mod1.bin"; head -c 4996 /dev/zero | tr '\0' x >> "$W/mod1.bin"
printf 'MOD2abcdef' > "$W/mod2.bin"
run -m 64 -kernel "$W/mbinfo.bin" -append "test-args a=1" -initrd "$W/mod1.bin first-arg,$W/mod2.bin second" $DE
forward_kernel_checks "a.out kludge mbinfo"
expect_status "a.out kludge kernel checking the Multiboot information" 1

# malformed inputs
expect_load_error "missing kernel file" "cannot open '$W/nope.elf'" -kernel "$W/nope.elf"
: > "$W/empty.bin"
expect_load_error "empty kernel file" "is empty" -kernel "$W/empty.bin"
expect_load_error "directory as kernel" "is a directory" -kernel "$W"
$MUT "$W/elf32.bin" "$W/t40.elf" truncate 40
expect_load_error "ELF header truncated" "truncated ELF header" -kernel "$W/t40.elf"
$MUT "$W/elf64.bin" "$W/t120.elf" truncate 120
expect_load_error "ELF64 program headers truncated" "program headers end beyond the file" -kernel "$W/t120.elf"
$MUT "$W/elf32.bin" "$W/phoff.elf" patch 28 '<I' 0x7ffffff0
expect_load_error "e_phoff beyond the file" "program headers end beyond the file" -kernel "$W/phoff.elf"
$MUT "$W/elf32.bin" "$W/paddr.elf" patch 64 '<I' 0x10000000
expect_load_error "segment outside guest RAM" "outside guest RAM" -m 64 -kernel "$W/paddr.elf"
$MUT "$W/elf32.bin" "$W/hole.elf" patch 64 '<I' 0xa0000
expect_load_error "segment in the VGA hole" "outside guest RAM" -kernel "$W/hole.elf"
$MUT "$W/elf64.bin" "$W/high.elf" patch 88 '<Q' 0x100000000
expect_load_error "ELF64 segment above 4 GiB" "not below 4 GiB" -kernel "$W/high.elf"
$MUT "$W/elf32.bin" "$W/filesz.elf" patch 68 '<I' 0x100000
expect_load_error "p_filesz beyond the file" "p_filesz 0x100000 > p_memsz|ends beyond the file" -kernel "$W/filesz.elf"
$MUT "$W/elf32.bin" "$W/arm.elf" patch 18 '<H' 40
expect_load_error "ELF for another machine" "for machine 40, not x86" -kernel "$W/arm.elf"
$MUT "$W/elf32.bin" "$W/dyn.elf" patch 16 '<H' 3
expect_load_error "ELF shared object" "not an executable" -kernel "$W/dyn.elf"
$MUT "$W/elf32.bin" "$W/phent.elf" patch 42 '<H' 16
expect_load_error "bad e_phentsize" "bad ELF program header table" -kernel "$W/phent.elf"
off=$($MUT "$W/elf32.bin" - find 02b0ad1b)
$MUT "$W/elf32.bin" "$W/nomb.elf" patch "$off" '<I' 0x12345678
expect_load_error "ELF without a Multiboot header" "ELF file without a Multiboot header" -kernel "$W/nomb.elf"
$MUT "$W/elf32.bin" "$W/noload.elf" patch 52 '<I' 6
expect_load_error "ELF without PT_LOAD segments" "no loadable segment" -kernel "$W/noload.elf"
head -c 3000 /dev/urandom | tr '\0\002' 'ab' > "$W/garbage.bin"
expect_load_error "random bytes" "not a Multiboot kernel" -kernel "$W/garbage.bin"
h=$($MUT "$W/exitk.bin" - find 02b0ad1b) # Multiboot header offset
$MUT "$W/exitk.bin" "$W/flags.bin" patch $((h + 4)) '<I' 0x00010020
$MUT "$W/flags.bin" "$W/flags.bin" patch $((h + 8)) '<I' $(( (0x100000000 - 0x1badb002 - 0x00010020) & 0xffffffff ))
expect_load_error "Multiboot header asking for unknown features" "unsupported features .flags 0x10020." -kernel "$W/flags.bin"
$MUT "$W/exitk.bin" "$W/loadend.bin" patch $((h + 20)) '<I' 0x200000
expect_load_error "a.out kludge load_end_addr beyond the file" "beyond the end of the file" -kernel "$W/loadend.bin"
$MUT "$W/exitk.bin" "$W/hdraddr.bin" patch $((h + 12)) '<I' 0x100100
expect_load_error "a.out kludge header_addr inconsistent" "do not match" -kernel "$W/hdraddr.bin"
$MUT "$W/exitk.bin" "$W/entry.bin" patch $((h + 28)) '<I' 0x900000
expect_load_error "a.out kludge entry outside the image" "entry_addr 0x900000 is outside" -kernel "$W/entry.bin"
expect_load_error "missing module" "cannot open '$W/nomod'" -kernel "$W/exitk.bin" -initrd "$W/nomod arg"
head -c 1200000 /dev/zero > "$W/big.bin"
expect_load_error "modules larger than RAM" "does not fit in guest RAM" -m 2 -kernel "$W/exitk.bin" -initrd "$W/big.bin"
head -c 514 /dev/zero > "$W/linux.bin"; printf 'HdrS' >> "$W/linux.bin"; head -c 600 /dev/zero >> "$W/linux.bin"
expect_load_error "Linux bzImage recognised" "Linux boot protocol is not supported" -kernel "$W/linux.bin"

# boot sectors
head -c 100 /dev/zero > "$W/short.img"
expect_load_error "-fda image shorter than a sector" "shorter than one 512-byte sector" -fda "$W/short.img"
head -c 1024 /dev/zero > "$W/nosig.img"
expect_load_error "-fda without boot signature" "no boot signature" -fda "$W/nosig.img"
expect_load_error "-fda missing file" "cannot open" -fda "$W/none.img"

# fuzz-minded: corrupted ELF files never crash the front end
for k in elf32 elf64; do
	$MUT "$W/$k.bin" "$W/fuzz-$k" fuzz 7 60
	bad=""
	for f in "$W/fuzz-$k"/f*; do
		timeout 30 "$PAC" -kernel "$f" -icount-limit 20000 -serial null $DE >/dev/null 2>"$W/fuzz.err"
		r=$?
		case $r in 1|4|6|8|10|12) ;; *) bad="$bad $(basename "$f"):$r" ;; esac
		if [ "$r" -eq 4 ] && [ "$(grep -c . "$W/fuzz.err")" -ne 1 ]; then bad="$bad $(basename "$f"):lines"; fi
	done
	[ -z "$bad" ] && ok "60 corrupted $k files: documented statuses only, one-line errors" || notok "corrupted $k files:$bad"
done
