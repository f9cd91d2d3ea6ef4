/* SPDX-License-Identifier: MIT */
/* Port I/O dispatch. Unclaimed ports read all ones and ignore writes. */
#include "cpu.h"

static const struct portrange *find_port(struct pac_machine *m, uint16_t port)
{
	for (unsigned i = 0; i < m->nports; i++) {
		const struct portrange *p = &m->ports[i];
		if ((uint32_t)(port - p->base) < p->count)
			return p;
	}
	return NULL;
}

uint32_t port_in(struct pac_machine *m, uint16_t port, int size)
{
	const struct portrange *p = find_port(m, port);
	uint32_t mask = (uint32_t)size_mask(size);
	if (!p || !p->ops->in)
		return mask;
	return p->ops->in(p->ctx, port, (unsigned)size) & mask;
}

void port_out(struct pac_machine *m, uint16_t port, int size, uint32_t v)
{
	const struct portrange *p = find_port(m, port);
	if (p && p->ops->out)
		p->ops->out(p->ctx, port, (unsigned)size, v & (uint32_t)size_mask(size));
}
