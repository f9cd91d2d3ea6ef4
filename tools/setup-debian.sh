#!/bin/sh
# Installs the Debian 12 packages needed to build and test Pacifica.
# Run as root (CI) or with sudo available. Idempotent.
set -e
PKGS="build-essential autoconf nasm clang binutils python3"
# --bench adds what `make bench` compares against (Bochs, QEMU TCG, hyperfine).
[ "${1:-}" = --bench ] && PKGS="$PKGS hyperfine bochs bochsbios vgabios bochs-sdl qemu-system-x86"
missing=""
for p in $PKGS; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq $missing
