/* SPDX-License-Identifier: MIT */
/* pac-memtype-probe: every read of the window returns MEMTYPE_PROBE_SIG |
 * the effective memory type (enum pac_memtype) the read itself carried;
 * a read at page offset MEMTYPE_PROBE_LASTWR returns the type of the most
 * recent write to the window instead. Writes are otherwise ignored. This
 * lets guest tests observe PAT x MTRR x CR0.CD (APM vol. 2, Table 7-11)
 * from inside the guest. Enabled with -device pac-memtype-probe. */
#include <stdlib.h>
#include "memtype_probe.h"

struct memtype_probe {
	unsigned last_write;	/* 0xff until the first write */
};

static uint64_t probe_read(void *ctx, uint64_t off, unsigned size, unsigned memtype)
{
	struct memtype_probe *p = ctx;
	uint64_t v = MEMTYPE_PROBE_SIG;

	v |= (off & 0xfff) == MEMTYPE_PROBE_LASTWR ? p->last_write : (memtype & 0xff);
	if (size < 8)
		v &= (1ull << (size * 8)) - 1;
	return v;
}

static void probe_write(void *ctx, uint64_t off, unsigned size, uint64_t val, unsigned memtype)
{
	struct memtype_probe *p = ctx;
	p->last_write = memtype & 0xff;
}

static const struct pac_mmio_ops probe_ops = { probe_read, probe_write };

int memtype_probe_attach(pac_machine *m, uint64_t base, struct memtype_probe **out)
{
	struct memtype_probe *p = calloc(1, sizeof *p);
	int err;

	if (!p)
		return PAC_ERR_NOMEM;
	p->last_write = 0xff;
	err = pac_map_mmio(m, base, MEMTYPE_PROBE_SIZE, &probe_ops, p);
	if (err != PAC_OK) {
		free(p);
		return err;
	}
	if (out)
		*out = p;
	return PAC_OK;
}

void memtype_probe_free(struct memtype_probe *p)
{
	free(p);
}
