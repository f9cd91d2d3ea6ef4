# Tests: unit (C, link libpaccpu.a), guest (freestanding kernels), diff.
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/unit/%)

$(O)/tests/unit/%: tests/unit/%.c $(LIBPACBIOS) $(LIBPACDEV) $(LIBPACCPU)
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) -Icpu -o $@ $< $(LIBPACBIOS) $(LIBPACDEV) $(LIBPACCPU) $(LDLIBS) $(LDFLAGS)

-include tests/guest/guest.mk
-include tests/diff/diff.mk
-include tests/fuzz/fuzz.mk
-include tests/regress/regress.mk

check: pacifica $(UNIT_BINS) $(GUEST_KERNELS) $(DIFF_BINS)
	@O=$(O) bash tests/run-tests.sh

.PHONY: check
