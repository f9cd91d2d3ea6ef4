# Regression tests for bugs found by fuzzing: one tests/regress/NAME.c per
# bug, compiled like the unit tests into $(O)/tests/regress/NAME and run by
# make check (tests/run-tests.sh). Each prints "ok - ..." lines.
REGRESS_SRCS := $(sort $(wildcard tests/regress/*.c))
REGRESS_BINS := $(REGRESS_SRCS:tests/regress/%.c=$(O)/tests/regress/%)

$(O)/tests/regress/%: tests/regress/%.c $(LIBPACBIOS) $(LIBPACDEV) $(LIBPACCPU)
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) -Icpu -I. -Itests/unit -o $@ $< $(LIBPACBIOS) $(LIBPACDEV) $(LIBPACCPU) $(LDLIBS) $(LDFLAGS)

check: $(REGRESS_BINS)
