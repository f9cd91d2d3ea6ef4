/* SPDX-License-Identifier: MIT */
/* Output destinations for character devices (-serial, -debugcon). */
#ifndef PAC_FRONTEND_SINKS_H
#define PAC_FRONTEND_SINKS_H
#include <stdio.h>
#include "options.h"
#include "../iodev/chardev.h"

struct sink {
	FILE *f;     /* NULL: output discarded */
	bool owned;  /* fclose at the end */
};
/* Opens the destination; prints a one-line error and returns -1 on failure. */
int sink_open(struct sink *s, const struct sink_spec *sp, const char *what);
struct pac_chardev sink_chardev(struct sink *s);
void sink_close(struct sink *s);
#endif
