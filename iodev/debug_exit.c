/* SPDX-License-Identifier: MIT */
/* isa-debug-exit (QEMU's device of that name): any write to its port range
 * ends the run; the front end exits with status (value << 1) | 1. Reads
 * return all ones, like an unclaimed port. */
#include <string.h>
#include "iodev.h"

void debug_exit_reset(struct debug_exit *d)
{
	d->fired = false;
	d->value = 0;
}

static uint32_t debug_exit_in(void *ctx, uint16_t port, unsigned size)
{
	return 0xffffffffu;
}

static void debug_exit_out(void *ctx, uint16_t port, unsigned size, uint32_t val)
{
	struct debug_exit *d = ctx;
	if (d->fired)
		return; /* the first write wins */
	d->fired = true;
	d->value = val;
	pac_request_stop(d->m, IODEV_STOP_DEBUG_EXIT);
}

static const struct pac_port_ops debug_exit_ops = { debug_exit_in, debug_exit_out };

int debug_exit_init(struct debug_exit *d, pac_machine *m, uint16_t iobase, uint16_t iosize)
{
	memset(d, 0, sizeof *d);
	d->m = m;
	d->iobase = iobase;
	d->iosize = iosize;
	return pac_register_ports(m, iobase, iosize, &debug_exit_ops, d);
}
