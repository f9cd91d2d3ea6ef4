/* SPDX-License-Identifier: MIT */
/* Reading kernel, module and disk image files whole, with size limits. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "bios.h"

static int read_stream(FILE *f, const char *path, uint8_t **data, size_t *len, struct boot_error *e)
{
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0 || n < cap)
			break;
		if (cap >= MAX_IMAGE_BYTES) {
			free(buf);
			return boot_fail(e, "%s: file larger than %llu MiB", path,
					 (unsigned long long)(MAX_IMAGE_BYTES >> 20));
		}
		uint8_t *nb = realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	if (!buf)
		return boot_fail(e, "%s: out of memory reading the file", path);
	if (ferror(f)) {
		int err = errno;
		free(buf);
		return boot_fail(e, "%s: read error: %s", path, strerror(err));
	}
	*data = buf;
	*len = n;
	return 0;
}

int read_whole_file(const char *path, uint8_t **data, size_t *len, struct boot_error *e)
{
	struct stat st;
	FILE *f = fopen(path, "rb");
	if (!f)
		return boot_fail(e, "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return boot_fail(e, "cannot read '%s': is a directory", path);
	}
	int r = read_stream(f, path, data, len, e);
	fclose(f);
	if (r == 0 && *len == 0) {
		free(*data);
		*data = NULL;
		return boot_fail(e, "'%s' is empty", path);
	}
	return r;
}
