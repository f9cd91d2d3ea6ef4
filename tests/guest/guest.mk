# Freestanding guest kernels (host gcc, -ffreestanding). Replaced by the
# guest runtime build (tests/guest/lib) as it lands.
DEMO_KERNEL := $(O)/tests/guest/demo.elf
GUEST_KERNELS := $(DEMO_KERNEL)

$(O)/tests/guest/demo.elf: tests/guest/demo/demo.S tests/guest/demo/demo.ld
	@mkdir -p $(dir $@)
	$(GUEST_CC) -m32 -c -o $(O)/tests/guest/demo.o $<
	ld -m elf_i386 -T tests/guest/demo/demo.ld -o $@ $(O)/tests/guest/demo.o
