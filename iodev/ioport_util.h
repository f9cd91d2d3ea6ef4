/* SPDX-License-Identifier: MIT */
/* Helpers for byte-wide ISA devices: a 16/32-bit access to an 8-bit device
 * becomes consecutive byte cycles at port, port+1, ... (bytes that fall
 * outside the device's own range read 0xFF and are not written). */
#ifndef PAC_IODEV_IOPORT_UTIL_H
#define PAC_IODEV_IOPORT_UTIL_H
#include <stdint.h>

typedef uint8_t (*byte_in_fn)(void *ctx, uint16_t port);
typedef void (*byte_out_fn)(void *ctx, uint16_t port, uint8_t val);

static inline uint32_t port_split_in(void *ctx, uint16_t port, unsigned size, uint16_t base,
				     unsigned count, byte_in_fn in)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < size && i < 4; i++) {
		unsigned p = port + i;
		uint8_t b = (p >= base && p < base + count) ? in(ctx, (uint16_t)p) : 0xff;
		v |= (uint32_t)b << (8 * i);
	}
	return v;
}

static inline void port_split_out(void *ctx, uint16_t port, unsigned size, uint32_t val,
				  uint16_t base, unsigned count, byte_out_fn out)
{
	for (unsigned i = 0; i < size && i < 4; i++) {
		unsigned p = port + i;
		if (p >= base && p < base + count)
			out(ctx, (uint16_t)p, (uint8_t)(val >> (8 * i)));
	}
}
#endif
