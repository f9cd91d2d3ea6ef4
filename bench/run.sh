#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make bench: times the boot-sector images of ../shared/bench on Pacifica,
# Bochs (Debian bochs-bin, with ../shared/bench/bochsrc.txt) and QEMU TCG
# (../shared/bench/qemu-run.sh) with hyperfine, in one run, and prints
# MIPS side by side, the baseline image subtracted (../shared/bench/README.md).
# The shared scripts are used as they are; results go to $RESULTS in the
# naming scheme of ../shared/bench/summarize.py (<emu>-m<mode>-<kind>.json).
# Env: RUNS (default 1), MODES ("16 32 64"), KINDS ("alu sub mem"),
#      RESULTS (o/bench/results), SHARED_BENCH (../shared/bench),
#      PACIFICA (./pacifica), SKIP_PACIFICA=1 / SKIP_BOCHS=1 / SKIP_QEMU=1.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
RUNS=${RUNS:-1}
MODES=${MODES:-"16 32 64"}
KINDS=${KINDS:-"alu sub mem"}
OUT=${OUT:-$TOP/o/bench}
RESULTS=${RESULTS:-$OUT/results}
SB=${SHARED_BENCH:-}
for d in ../shared/bench ../../shared/bench /work/shared/bench; do
	[ -z "$SB" ] && [ -f "$d/summarize.py" ] && SB=$(cd "$d" && pwd)
done
die() { echo "bench: $*" >&2; exit 1; }
[ -n "$SB" ] || die "../shared/bench not found (set SHARED_BENCH)"
command -v hyperfine >/dev/null || die "hyperfine is not installed (apt-get install hyperfine, or sh tools/setup-debian.sh --bench)"
command -v python3 >/dev/null || die "python3 is not installed"
mkdir -p "$RESULTS" "$OUT/img" "$OUT/logs"

# Floppy images: the shared 512-byte boot sectors padded to 1.44 MB.
image() { # mode kind -> path of the .img
	local b=$SB/img/m$1-$2.bin img=$OUT/img/m$1-$2.img
	if [ ! -f "$b" ]; then
		local k iters=""
		case $2 in alu) k=0;; mem) k=1;; sub) k=2;; base) k=0; iters=-DITERS=1;; esac
		b=$OUT/img/m$1-$2.bin
		nasm -f bin -DMODE=$1 -DKIND=$k $iters -o "$b" "$SB/bench.asm" || die "nasm failed for m$1-$2"
	fi
	if [ ! -f "$img" ] || [ "$b" -nt "$img" ]; then
		dd if=/dev/zero of="$img" bs=512 count=2880 status=none
		dd if="$b" of="$img" conv=notrunc status=none
	fi
	echo "$img"
}

have_pacifica=1; have_bochs=1; have_qemu=1
PACIFICA=${PACIFICA:-$TOP/pacifica}
[ -x "$PACIFICA" ] || { echo "bench: $PACIFICA not built: skipping the Pacifica column"; have_pacifica=0; }
[ -n "${SKIP_PACIFICA:-}" ] && have_pacifica=0
BOCHS=${BOCHS:-bochs-bin}
command -v "$BOCHS" >/dev/null || { echo "bench: $BOCHS not found (Debian package bochs): skipping the Bochs column"; have_bochs=0; }
[ -f /usr/share/bochs/BIOS-bochs-latest ] || { [ $have_bochs = 1 ] && echo "bench: Bochs BIOS missing (Debian package bochsbios): skipping the Bochs column"; have_bochs=0; }
[ -n "${SKIP_BOCHS:-}" ] && have_bochs=0
command -v qemu-system-x86_64 >/dev/null || { echo "bench: qemu-system-x86_64 not found (Debian package qemu-system-x86): skipping the QEMU column"; have_qemu=0; }
[ -n "${SKIP_QEMU:-}" ] && have_qemu=0

# time TAG MODE KIND CMD...: one hyperfine measurement into $RESULTS
time_one() {
	local tag=$1 m=$2 k=$3; shift 3
	hyperfine -N --style basic -r "$RUNS" -i --export-json "$RESULTS/$tag-m$m-$k.json" "$*" \
		>"$OUT/logs/$tag-m$m-$k.hyperfine" 2>&1 || echo "bench: hyperfine failed for $tag m$m-$k (see $OUT/logs)"
	python3 -c "import json;r=json.load(open('$RESULTS/$tag-m$m-$k.json'))['results'][0];print('%-8s m$m-%-4s wall mean %.3f s, min %.3f s, cpu %.3f s, runs %d'%('$tag','$k',r['mean'],r['min'],r['user']+r['system'],len(r['times'])))" 2>/dev/null
}

# check_marker TAG MODE KIND FILE: the image printed B<m>E<checksum> on 0xE9
check_marker() {
	local want mc
	case $3 in mem) want=E89f3c200;; base) want=E00000000;; *) want=E00000000;; esac
	mc=$( [ "$2" = 16 ] && echo 1 || { [ "$2" = 32 ] && echo 3 || echo 6; } )
	if tr -d '\n' < "$4" 2>/dev/null | grep -q "B${mc}${want}"; then
		echo "         m$2-$3 on $1: printed B${mc}${want}"
	else
		echo "bench: WARNING: m$2-$3 on $1 did not print B${mc}${want} (got '$(tr -d '\n' < "$4" 2>/dev/null)')"
	fi
}

rm -f "$RESULTS"/*.json
for m in $MODES; do
	for k in base $KINDS; do
		img=$(image "$m" "$k") || exit 1
		if [ $have_pacifica = 1 ]; then
			e9=$OUT/logs/pacifica-m$m-$k.e9
			time_one pacifica "$m" "$k" "$PACIFICA" -fda "$img" -nodefaults -display none \
				-debugcon "file:$e9" -device isa-debug-exit,iobase=0xf4,iosize=0x4
			check_marker pacifica "$m" "$k" "$e9"
		fi
		if [ $have_bochs = 1 ]; then
			time_one bochs "$m" "$k" env SDL_VIDEODRIVER=dummy BXMODEL=ryzen IMG="$img" \
				BXLOG="$OUT/logs/bochs-m$m-$k.log" "$BOCHS" -q -f "$SB/bochsrc.txt" -rc "$SB/bochs-continue.rc"
		fi
		if [ $have_qemu = 1 ]; then
			e9=$OUT/logs/qemu-m$m-$k.e9
			time_one qemu "$m" "$k" env DEBUGCON="$e9" "$SB/qemu-run.sh" "$img"
			check_marker qemu "$m" "$k" "$e9"
		fi
	done
done

echo
python3 "$SB/summarize.py" "$RESULTS" | tee "$OUT/summary.md"
echo
python3 bench/side_by_side.py < "$OUT/summary.md" | tee "$OUT/side-by-side.md"
