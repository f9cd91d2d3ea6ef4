/* SPDX-License-Identifier: MIT */
/* Bochs convention: the characters "Shutdown" written one by one to port
 * 0x8900 power the machine off. Any other byte restarts the match. */
#include <string.h>
#include "iodev.h"

static const char shutdown_word[] = "Shutdown";

void shutdown_port_reset(struct shutdown_port *s)
{
	s->matched = 0;
	s->fired = false;
}

static uint32_t shutdown_in(void *ctx, uint16_t port, unsigned size)
{
	return 0xffffffffu;
}

static void shutdown_out(void *ctx, uint16_t port, unsigned size, uint32_t val)
{
	struct shutdown_port *s = ctx;
	uint8_t b = (uint8_t)val;
	if (b == (uint8_t)shutdown_word[s->matched])
		s->matched++;
	else
		s->matched = b == (uint8_t)shutdown_word[0] ? 1 : 0;
	if (s->matched == sizeof shutdown_word - 1 && !s->fired) {
		s->fired = true;
		s->matched = 0;
		pac_request_stop(s->m, IODEV_STOP_SHUTDOWN);
	}
}

static const struct pac_port_ops shutdown_ops = { shutdown_in, shutdown_out };

int shutdown_port_init(struct shutdown_port *s, pac_machine *m)
{
	memset(s, 0, sizeof *s);
	s->m = m;
	return pac_register_ports(m, 0x8900, 1, &shutdown_ops, s);
}
