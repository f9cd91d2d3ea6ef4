/* SPDX-License-Identifier: MIT */
/* Lays the firmware tables out in one window image and copies it into the
 * guest. Small helpers shared by acpi.c and mptable.c. */
#include <stdlib.h>
#include <string.h>
#include "fwtables.h"

size_t fwt_alloc(struct fwt_buf *w, size_t n, size_t align)
{
	size_t off = (w->len + align - 1) / align * align;
	if (off + n > FWTABLES_SIZE) {
		w->overflow = true;
		return 0;
	}
	memset(w->b + off, 0, n);
	w->len = off + n;
	return off;
}

void fwt_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void fwt_put32(uint8_t *p, uint32_t v)
{
	fwt_put16(p, (uint16_t)v);
	fwt_put16(p + 2, (uint16_t)(v >> 16));
}

void fwt_put64(uint8_t *p, uint64_t v)
{
	fwt_put32(p, (uint32_t)v);
	fwt_put32(p + 4, (uint32_t)(v >> 32));
}

uint8_t fwt_checksum(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + p[i]);
	return (uint8_t)-sum;
}

int fwtables_install(pac_machine *m, const struct fwtables_config *c, struct fwtables_result *r)
{
	struct fwt_buf w = { .base = FWTABLES_BASE };
	struct fwtables_result res = { 0, 0, 0 };
	unsigned ncpus = c->ncpus ? c->ncpus : 1;
	if (ncpus > 64)
		return PAC_ERR_INVAL;
	w.b = calloc(1, FWTABLES_SIZE);
	if (!w.b)
		return PAC_ERR_NOMEM;
	if (c->acpi)
		res.rsdp = acpi_build(&w, ncpus);
	res.mp = mptable_build(&w, ncpus);
	res.end = w.base + w.len;
	int err = w.overflow ? PAC_ERR_RANGE : pac_phys_write(m, w.base, w.b, w.len);
	free(w.b);
	if (!err && r)
		*r = res;
	return err;
}
