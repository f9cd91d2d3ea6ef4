# Freestanding guest test kernels (host gcc, -ffreestanding): the runtime in
# tests/guest/lib and one kernel per folder tests/guest/<area>/. Each kernel
# is linked as ELF64 and converted to ELF32 (QEMU refuses ELF64 multiboot
# kernels; Pacifica's loader accepts ELF32 carrying 64-bit code).
DEMO_KERNEL := $(O)/tests/guest/demo.elf

$(O)/tests/guest/demo.elf: tests/guest/demo/demo.S tests/guest/demo/demo.ld
	@mkdir -p $(dir $@)
	$(GUEST_CC) -m32 -c -o $(O)/tests/guest/demo.o $<
	ld -m elf_i386 -T tests/guest/demo/demo.ld -o $@ $(O)/tests/guest/demo.o

GUEST_CFLAGS := -m64 -std=gnu11 -O2 -g -ffreestanding -nostdlib -fno-builtin \
	-mno-red-zone -fno-pic -fno-pie -mcmodel=small -fno-stack-protector \
	-fcf-protection=none -fno-asynchronous-unwind-tables -fno-exceptions \
	-mgeneral-regs-only -Wall -Wextra -Werror -Wno-unused-parameter -Wno-clobbered \
	-Itests/guest/lib -MMD -MP
GUEST_LDFLAGS := -m elf_x86_64 -nostdlib -static -z max-page-size=0x1000 \
	-z noexecstack --no-warn-rwx-segments -T tests/guest/lib/kernel.ld

GUEST_LIB_SRCS := $(wildcard tests/guest/lib/*.c tests/guest/lib/*.S)
GUEST_LIB_OBJS := $(patsubst %,$(O)/%.o,$(basename $(GUEST_LIB_SRCS)))

# Areas: every folder with sources except the runtimes and demo/. Folders
# whose names end in 32 are 32-bit protected-mode kernels (tests/guest/lib32).
GUEST_AREAS := $(filter-out lib lib32 demo,$(notdir $(patsubst %/,%,$(dir $(wildcard tests/guest/*/*.c)))))
GUEST_AREAS := $(sort $(GUEST_AREAS))
GUEST_KERNELS_ALL := $(GUEST_AREAS:%=$(O)/tests/guest/%.elf)

# Kernels that pass on Pacifica today (run by make check); the others run
# under check-qemu only until the CPU features they need have landed:
#   debug   - DR0-DR3 breakpoints, #AC, the MOV SS single-step shadow
#   tasks32 - hardware task switches (UNIMP in Pacifica so far)
GUEST_PASSING := smoke insn exceptions paging modes sys fpu memtype legacy32 la57 apic irq platform debug tasks32
GUEST_KERNELS := $(DEMO_KERNEL) $(GUEST_PASSING:%=$(O)/tests/guest/%.elf)

# Sources compiled with SSE allowed (their names end in _sse.c).
$(O)/tests/guest/%_sse.o: tests/guest/%_sse.c
	@mkdir -p $(dir $@)
	@echo "  GUESTCC $<"
	@$(GUEST_CC) $(filter-out -mgeneral-regs-only,$(GUEST_CFLAGS)) -msse2 -fno-math-errno -c -o $@ $<

$(O)/tests/guest/%.o: tests/guest/%.c
	@mkdir -p $(dir $@)
	@echo "  GUESTCC $<"
	@$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

$(O)/tests/guest/%.o: tests/guest/%.S
	@mkdir -p $(dir $@)
	@echo "  GUESTAS $<"
	@$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

guest_area_objs = $(patsubst %,$(O)/%.o,$(basename $(wildcard tests/guest/$(1)/*.c tests/guest/$(1)/*.S)))

# 32-bit kernels: lib32 plus the shared output code, compiled with -m32.
GUEST32_CFLAGS := $(filter-out -m64 -mcmodel=small,$(GUEST_CFLAGS)) -m32 -Itests/guest/lib32
GUEST32_LIB_OBJS := $(patsubst %,$(O)/%.o,$(basename $(wildcard tests/guest/lib32/*.c tests/guest/lib32/*.S))) \
	$(O)/tests/guest/lib32/shared/serial.o $(O)/tests/guest/lib32/shared/string.o

$(O)/tests/guest/lib32/shared/%.o: tests/guest/lib/%.c
	@mkdir -p $(dir $@)
	@echo "  GUESTCC $< (32-bit)"
	@$(GUEST_CC) $(GUEST32_CFLAGS) -c -o $@ $<

$(O)/tests/guest/lib32/%.o: tests/guest/lib32/%.c
	@mkdir -p $(dir $@)
	@echo "  GUESTCC $<"
	@$(GUEST_CC) $(GUEST32_CFLAGS) -c -o $@ $<

$(O)/tests/guest/lib32/%.o: tests/guest/lib32/%.S
	@mkdir -p $(dir $@)
	@echo "  GUESTAS $<"
	@$(GUEST_CC) $(GUEST32_CFLAGS) -c -o $@ $<

# Rules for each 32-bit area (folder name ending in 32).
define guest32_area
$(O)/tests/guest/$(1)/%.o: tests/guest/$(1)/%.c
	@mkdir -p $$(dir $$@)
	@echo "  GUESTCC $$<"
	@$$(GUEST_CC) $$(GUEST32_CFLAGS) -c -o $$@ $$<

$(O)/tests/guest/$(1)/%.o: tests/guest/$(1)/%.S
	@mkdir -p $$(dir $$@)
	@echo "  GUESTAS $$<"
	@$$(GUEST_CC) $$(GUEST32_CFLAGS) -c -o $$@ $$<

$(O)/tests/guest/$(1).elf: $$(GUEST32_LIB_OBJS) tests/guest/lib32/kernel32.ld $$(call guest_area_objs,$(1))
	@echo "  GUESTLD $$@"
	@ld -m elf_i386 -nostdlib -static -z noexecstack --no-warn-rwx-segments \
		-T tests/guest/lib32/kernel32.ld -o $$@ $$(filter %.o,$$^)
endef
$(foreach a,$(filter %32,$(GUEST_AREAS)),$(eval $(call guest32_area,$(a))))

.SECONDEXPANSION:
$(O)/tests/guest/%.elf64: $(GUEST_LIB_OBJS) tests/guest/lib/kernel.ld \
		$$(call guest_area_objs,$$*)
	@echo "  GUESTLD $@"
	@ld $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

$(O)/tests/guest/%.elf: $(O)/tests/guest/%.elf64
	@objcopy -O elf32-i386 $< $@

.SECONDARY:

guest-kernels: $(GUEST_KERNELS_ALL)

check-qemu: $(GUEST_KERNELS_ALL)
	@O=$(O) QEMU=$(QEMU) bash tests/guest/run-guest.sh --qemu $(GUEST_KERNELS_ALL)

.PHONY: guest-kernels check-qemu

print-guest-kernels:
	@echo $(GUEST_PASSING:%=$(O)/tests/guest/%.elf)

.PHONY: print-guest-kernels
