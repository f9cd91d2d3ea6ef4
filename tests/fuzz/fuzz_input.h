/* SPDX-License-Identifier: MIT */
/* Reading typed values from a fuzzer's byte string: once the bytes run
 * out every value reads as zero, so any input is a complete test case. */
#ifndef PAC_FUZZ_INPUT_H
#define PAC_FUZZ_INPUT_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct fz {
	const uint8_t *p;
	size_t n;
};

static inline uint64_t fz_bytes(struct fz *f, unsigned k)
{
	uint64_t v = 0;
	unsigned take = f->n < k ? (unsigned)f->n : k;
	memcpy(&v, f->p, take);
	f->p += take;
	f->n -= take;
	return v;
}
static inline uint8_t fz_u8(struct fz *f) { return (uint8_t)fz_bytes(f, 1); }
static inline uint16_t fz_u16(struct fz *f) { return (uint16_t)fz_bytes(f, 2); }
static inline uint32_t fz_u32(struct fz *f) { return (uint32_t)fz_bytes(f, 4); }
static inline uint64_t fz_u64(struct fz *f) { return fz_bytes(f, 8); }
#endif
