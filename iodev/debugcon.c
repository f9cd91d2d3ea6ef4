/* SPDX-License-Identifier: MIT */
/* Port 0xE9 console (Bochs "port_e9_hack", QEMU -debugcon): bytes written
 * go to the sink; reads return 0xE9 so a guest can detect the port. */
#include <string.h>
#include "iodev.h"

void debugcon_reset(struct debugcon *d) { (void)d; }

static uint32_t debugcon_in(void *ctx, uint16_t port, unsigned size)
{
	return 0xe9;
}

static void debugcon_out(void *ctx, uint16_t port, unsigned size, uint32_t val)
{
	struct debugcon *d = ctx;
	chardev_put(&d->out, (uint8_t)val); /* only the low byte, as QEMU */
}

static const struct pac_port_ops debugcon_ops = { debugcon_in, debugcon_out };

int debugcon_init(struct debugcon *d, pac_machine *m, uint16_t port, struct pac_chardev out)
{
	memset(d, 0, sizeof *d);
	d->out = out;
	return pac_register_ports(m, port, 1, &debugcon_ops, d);
}
