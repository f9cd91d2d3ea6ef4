/* SPDX-License-Identifier: MIT */
/* -d logging: instruction and event hooks, library log messages, statistics. */
#ifndef PAC_FRONTEND_TRACE_H
#define PAC_FRONTEND_TRACE_H
#include <stdio.h>
#include "options.h"
#include "pacifica/pacifica.h"

struct trace {
	FILE *log;            /* -D file or stderr */
	bool owned;
	unsigned mask;        /* D_* */
	pac_machine *m;
	struct pac_hooks hooks; /* pac_set_hooks keeps a pointer to this */
};
int trace_open(struct trace *t, const struct options *o);
/* Installs hooks only for the categories that need them. */
void trace_attach(struct trace *t, pac_machine *m);
/* pac_config.log sink */
void trace_library_log(void *ctx, const char *cat, const char *msg);
void trace_print_stats(struct trace *t, pac_machine *m);
void trace_close(struct trace *t);
#endif
