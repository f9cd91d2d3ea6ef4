/* SPDX-License-Identifier: MIT */
/* Shared between the Multiboot loader files (multiboot.c, mb_elf.c,
 * mb_aout.c, mb_info.c). Not part of libpacbios's interface. */
#ifndef PAC_BIOS_MB_INTERNAL_H
#define PAC_BIOS_MB_INTERNAL_H
#include "bios.h"

#define MB_MAGIC 0x1badb002u
#define MB_BOOT_MAGIC 0x2badb002u
#define MB_SEARCH_BYTES 8192
#define MB_FLAG_PAGE_ALIGN (1u << 0)
#define MB_FLAG_MEMINFO (1u << 1)
#define MB_FLAG_VIDEO (1u << 2)
#define MB_FLAG_AOUT_KLUDGE (1u << 16)
#define MB_KNOWN_REQUIRED (MB_FLAG_PAGE_ALIGN | MB_FLAG_MEMINFO | MB_FLAG_VIDEO)

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }
static inline void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}
static inline void wr64(uint8_t *p, uint64_t v)
{
	wr32(p, (uint32_t)v);
	wr32(p + 4, (uint32_t)(v >> 32));
}
static inline uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

/* What a loader placed in memory. */
struct mb_image {
	uint64_t start, end; /* lowest and highest (exclusive) byte loaded */
	uint64_t entry;
};

/* ELF32/ELF64 executables (mb_elf.c). Returns 1 if img is not ELF at all. */
int mb_load_elf(pac_machine *m, const struct boot_layout *L, const struct multiboot_args *a,
		struct mb_image *out, struct boot_error *e);
/* Validates only the ELF header and program header table bounds:
 * 0 if fine, 1 if not ELF, -1 with e set. */
int mb_check_elf_header(const struct multiboot_args *a, struct boot_error *e);
/* The a.out kludge: header at hdr_off with flag bit 16 (mb_aout.c). */
int mb_load_aout(pac_machine *m, const struct boot_layout *L, const struct multiboot_args *a,
		 size_t hdr_off, struct mb_image *out, struct boot_error *e);

/* One module to hand over. */
struct mb_module {
	uint32_t start, end;
	const char *cmdline; /* "path args" */
	size_t cmdline_len;
};
/* Builds the multiboot information structure, the boot GDT and strings in
 * guest memory at or above `at`; returns the mbi address in *info. */
int mb_write_info(pac_machine *m, const struct boot_layout *L, const struct multiboot_args *a,
		  const struct mb_module *mods, unsigned nmods, uint64_t at, uint32_t *info,
		  uint32_t *gdt, struct boot_error *e);
/* Bytes mb_write_info needs for these arguments. */
uint64_t mb_info_size(const struct multiboot_args *a, const struct mb_module *mods, unsigned nmods);

#endif
