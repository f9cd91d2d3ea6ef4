/* SPDX-License-Identifier: MIT */
/* libFuzzer harness (d): the Multiboot v1 loader (ELF and a.out kludge)
 * and the boot-sector loader on arbitrary file bytes, into a machine with
 * 4 MiB of RAM. The first input byte picks the -append string length; the
 * loaders must either load or fail with a one-line message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bios/bios.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_msg(const struct boot_error *e)
{
	size_t n = strnlen(e->msg, sizeof e->msg);
	if (n == 0 || n == sizeof e->msg || memchr(e->msg, '\n', n))
		abort(); /* an error needs exactly one non-empty line */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char append[64];
	size_t alen = data[0] % sizeof append;
	memset(append, 'a', alen);
	append[alen] = 0;
	data++, size--;
	struct pac_config cfg = { .ncpus = 1, .seed = 1 };
	int err;
	pac_machine *m = pac_create(&cfg, &err);
	if (!m)
		return 0;
	struct boot_layout L;
	struct boot_error e = { { 0 } };
	layout_compute(&L, 4ull << 20);
	if (layout_map(m, &L, &e) || firmware_install(m, &L, &e))
		abort();
	multiboot_find_header(data, size);
	struct multiboot_args a = { .kernel_name = "fuzz.elf", .image = data, .image_len = size,
				    .append = alen ? append : NULL };
	struct multiboot_result res;
	if (multiboot_load(m, &L, &a, &res, &e))
		check_msg(&e);
	memset(&e, 0, sizeof e);
	if (bootsector_load(m, "fuzz.img", data, size, &e))
		check_msg(&e);
	pac_destroy(m);
	return 0;
}
