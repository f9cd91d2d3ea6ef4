# make bench: Pacifica vs Bochs vs QEMU TCG on ../shared/bench images (see bench/README.md).
bench: pacifica
	bench/run.sh
.PHONY: bench
