/* SPDX-License-Identifier: MIT */
/* Builds and runs the docs/api.md example and checks what it reports. */
#include "test.h"
#define PAC_EXAMPLE_NO_MAIN
#include "../../examples/hello_api.c"

int main(void)
{
	char text[160];
	uint64_t eax = 0;
	CHECK_EQ(run_example(text, sizeof text, &eax), PAC_OK, "example ran to HLT");
	CHECK(!strncmp(text, "hello from the guest (exit: hlt", 31), "console text: %s", text);
	CHECK_EQ(eax, 42, "eax");
	return test_done("api_example");
}
