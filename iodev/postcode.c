/* SPDX-License-Identifier: MIT */
/* Port 0x80: firmware POST codes and the classic I/O delay port. Writes are
 * swallowed (the last code is kept for debugging); reads return all ones. */
#include <string.h>
#include "iodev.h"

void postcode_reset(struct postcode *p) { p->last = 0; }

static uint32_t postcode_in(void *ctx, uint16_t port, unsigned size)
{
	return 0xffffffffu;
}

static void postcode_out(void *ctx, uint16_t port, unsigned size, uint32_t val)
{
	struct postcode *p = ctx;
	p->last = (uint8_t)val;
}

static const struct pac_port_ops postcode_ops = { postcode_in, postcode_out };

int postcode_init(struct postcode *p, pac_machine *m)
{
	memset(p, 0, sizeof *p);
	return pac_register_ports(m, 0x80, 1, &postcode_ops, p);
}
