# libFuzzer harnesses (tests/fuzz/fuzz_*.c): `make fuzz` builds them with
# clang -fsanitize=fuzzer,address,undefined into $(O)/fuzz/. The libraries
# are rebuilt from source with the same instrumentation (objects under
# $(O)/fuzz/obj/). Run e.g.: o/fuzz/fuzz_exec -max_total_time=120 -jobs=1
FUZZ_CC     ?= clang
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS  = -std=c11 -D_GNU_SOURCE -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) \
	       -fsanitize=fuzzer-no-link -Iinclude -Icpu -I. -Wall -Wextra -Wno-unused-parameter
FUZZ_LIBSRC  = $(CPU_SRCS) $(IODEV_SRCS) $(BIOS_SRCS)
FUZZ_LIBOBJ  = $(FUZZ_LIBSRC:%.c=$(O)/fuzz/obj/%.o)
FUZZ_SRCS   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS   := $(FUZZ_SRCS:tests/fuzz/%.c=$(O)/fuzz/%)

fuzz:
	@if echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' | \
	    $(FUZZ_CC) -x c -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory fuzz-build; \
	else \
		echo "make fuzz: '$(FUZZ_CC)' cannot build with -fsanitize=fuzzer (install clang or set FUZZ_CC=clang-NN)"; \
		false; \
	fi

fuzz-build: $(FUZZ_BINS)
	@echo "fuzzers built in $(O)/fuzz/: $(notdir $(FUZZ_BINS))"

$(O)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/fuzz/libpacfuzz.a: $(FUZZ_LIBOBJ)
	@rm -f $@
	@ar rcs $@ $^

$(O)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(O)/fuzz/libpacfuzz.a
	@mkdir -p $(dir $@)
	@echo "  FUZZLD  $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(O)/fuzz/libpacfuzz.a -lm

.PHONY: fuzz fuzz-build

# The deterministic smoke test (normal build; run by tests/fuzz/run-smoke.sh).
$(O)/tests/fuzz/smoke_exec: tests/fuzz/smoke_exec.c tests/fuzz/fuzz_machine.h $(LIBPACBIOS) $(LIBPACDEV) $(LIBPACCPU)
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) -Icpu -I. -o $@ $< $(LIBPACBIOS) $(LIBPACDEV) $(LIBPACCPU) $(LDLIBS) $(LDFLAGS)

check: $(O)/tests/fuzz/smoke_exec
