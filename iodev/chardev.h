/* SPDX-License-Identifier: MIT */
/* Byte sinks for device output (serial line, port 0xE9 console). The front
 * end owns the actual destination (stdout, a file, nothing). */
#ifndef PAC_IODEV_CHARDEV_H
#define PAC_IODEV_CHARDEV_H
#include <stddef.h>
#include <stdint.h>

struct pac_chardev {
	void (*write)(void *ctx, const uint8_t *buf, size_t len);
	void *ctx;
};

static inline void chardev_put(const struct pac_chardev *cd, uint8_t b)
{
	if (cd && cd->write)
		cd->write(cd->ctx, &b, 1);
}

#endif
