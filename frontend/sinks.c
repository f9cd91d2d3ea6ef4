/* SPDX-License-Identifier: MIT */
/* Character sinks: stdout, a file (truncated, like QEMU's file: backend) or
 * nothing. Output is flushed at each newline so a guest's lines appear as
 * they are written. */
#include <errno.h>
#include <string.h>
#include "sinks.h"

static void sink_write(void *ctx, const uint8_t *buf, size_t len)
{
	struct sink *s = ctx;
	if (!s->f)
		return;
	fwrite(buf, 1, len, s->f);
	if (memchr(buf, '\n', len))
		fflush(s->f);
}

int sink_open(struct sink *s, const struct sink_spec *sp, const char *what)
{
	s->f = NULL;
	s->owned = false;
	if (sp->kind == SINK_STDIO) {
		s->f = stdout;
	} else if (sp->kind == SINK_FILE) {
		s->f = fopen(sp->path, "wb");
		if (!s->f) {
			fprintf(stderr, "pacifica: %s: cannot open '%s': %s\n", what, sp->path, strerror(errno));
			return -1;
		}
		s->owned = true;
	}
	return 0;
}

struct pac_chardev sink_chardev(struct sink *s)
{
	return (struct pac_chardev){ sink_write, s };
}

void sink_close(struct sink *s)
{
	if (s->f)
		fflush(s->f);
	if (s->owned && s->f)
		fclose(s->f);
	s->f = NULL;
	s->owned = false;
}
