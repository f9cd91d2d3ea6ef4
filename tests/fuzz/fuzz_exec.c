/* SPDX-License-Identifier: MIT */
/* libFuzzer harness (b): execute arbitrary code in a machine with 2 MiB of
 * RAM in a random mode (real, 32-bit protected with random GDT/IDT, 32-bit
 * paged, 64-bit with random page tables) for a bounded budget. pac_run must
 * return; sanitizers catch host memory errors and UB. Set
 * PAC_FUZZ_STRICT=1 to also abort on PAC_EXIT_INTERNAL_ERROR. */
#include <stdio.h>
#include <stdlib.h>
#include "fuzz_machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int strict = -1;
	if (strict < 0)
		strict = getenv("PAC_FUZZ_STRICT") != NULL;
	enum fm_mode mode;
	pac_machine *m = fm_build(data, size, &mode);
	if (!m)
		return 0;
	struct pac_exit ex;
	pac_run(m, 400, &ex);
	if (ex.reason == PAC_EXIT_INTERNAL_ERROR && strict) {
		fprintf(stderr, "internal error in mode %d at %#llx: %s\n", (int)mode,
			(unsigned long long)ex.rip, ex.detail);
		abort();
	}
	pac_destroy(m);
	return 0;
}
