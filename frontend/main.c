/* SPDX-License-Identifier: MIT */
/* The pacifica command (placeholder until the front end lands). */
#include <stdio.h>
#include "pacifica/pacifica.h"

extern const unsigned char pac_demo_kernel[], pac_demo_kernel_end[];

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "pacifica: options are not implemented yet\n");
		return 2;
	}
	printf("pacifica: demo kernel is %ld bytes\n", (long)(pac_demo_kernel_end - pac_demo_kernel));
	return 0;
}
