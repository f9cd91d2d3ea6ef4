# Differential tests against the host CPU (tests/diff/README in docs/testing.md).
DIFF_SRCS := tests/diff/main.c tests/diff/gen.c tests/diff/native.c tests/diff/emu.c
DIFF_BINS := $(O)/tests/diff/pacdiff
CASES ?= 100000

$(O)/tests/diff/pacdiff: $(DIFF_SRCS) tests/diff/diff.h $(LIBPACCPU)
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) -Icpu -o $@ $(DIFF_SRCS) $(LIBPACCPU) $(LDLIBS) $(LDFLAGS)

diff-long: $(DIFF_BINS)
	$(O)/tests/diff/pacdiff --cases $(CASES) --seed $${SEED:-7}

.PHONY: diff-long
