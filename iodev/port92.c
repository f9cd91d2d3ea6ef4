/* SPDX-License-Identifier: MIT */
/* Port 0x92: bit 1 is the A20 gate, bit 0 a fast reset (a 0 -> 1 write
 * resets the machine: pac_request_stop(PC_STOP_RESET)).
 * APPROX: A20 is always enabled; bit 1 only remembers what was written
 * (libpaccpu has no address-line-20 mask; see docs/platform.md). */
#include <string.h>
#include "port92.h"
#include "pc_stop.h"

static uint32_t p92_in(void *ctx, uint16_t port, unsigned size)
{
	struct port92 *p = ctx;
	return size == 1 ? p->val : (uint32_t)p->val | (0xffffffffu << 8);
}

static void p92_out(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
	struct port92 *p = ctx;
	if ((v & 1) && !(p->val & 1))
		pac_request_stop(p->m, PC_STOP_RESET);
	p->val = (uint8_t)(v & 0x03);
}

static const struct pac_port_ops p92_ops = { p92_in, p92_out };

int port92_init(struct port92 *p, pac_machine *m)
{
	memset(p, 0, sizeof *p);
	p->m = m;
	p->val = 0x02; /* A20 enabled at hand-over */
	return pac_register_ports(m, 0x92, 1, &p92_ops, p);
}
