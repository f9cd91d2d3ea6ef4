/* SPDX-License-Identifier: MIT */
/* Library logging: formats into a buffer and hands it to the sink. */
#include <stdarg.h>
#include <stdio.h>
#include "cpu.h"

static void vlog(struct pac_machine *m, const char *cat, const char *fmt, va_list ap)
{
	char buf[512];
	if (!m || !m->log)
		return;
	vsnprintf(buf, sizeof buf, fmt, ap);
	m->log(m->log_ctx, cat, buf);
}

void machine_log(struct pac_machine *m, const char *cat, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(m, cat, fmt, ap);
	va_end(ap);
}

void cpu_log(struct cpu *c, const char *cat, const char *fmt, ...)
{
	char buf[480];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	machine_log(c->m, cat, "cpu%d: %s", c->index, buf);
}
