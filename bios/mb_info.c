/* SPDX-License-Identifier: MIT */
/* The Multiboot information structure (Multiboot 0.6.96, 3.3) with memory
 * sizes, boot device, command line, modules, memory map and boot loader
 * name, plus the GDT the kernel is entered with. Layout at `at`:
 *   +0x00 GDT (null, flat 32-bit code 0x08, flat data 0x10)
 *   +0x20 multiboot_info (128 bytes), then module list, memory map, strings. */
#include <stdlib.h>
#include <string.h>
#include "mb_internal.h"

#define MBI_OFF 0x20
#define MBI_SIZE 128
#define MBI_MEM (1u << 0)
#define MBI_BOOTDEV (1u << 1)
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS (1u << 3)
#define MBI_MMAP (1u << 6)
#define MBI_LOADER (1u << 9)
#define MOD_ENTRY 16
#define MMAP_ENTRY 24 /* size field (4) + base, length, type (20) */

static const char loader_name[] = "pacifica";

/* Flat segments: base 0, limit 4 GiB, G=1, D=1; accessed bit preset. */
static const uint64_t boot_gdt[3] = { 0, 0x00cf9b000000ffffull, 0x00cf93000000ffffull };

static size_t cmdline_len(const struct multiboot_args *a)
{
	return strlen(a->kernel_name) + 1 + (a->append ? strlen(a->append) : 0);
}

uint64_t mb_info_size(const struct multiboot_args *a, const struct mb_module *mods, unsigned nmods)
{
	uint64_t n = MBI_OFF + MBI_SIZE + (uint64_t)nmods * MOD_ENTRY + 6 * MMAP_ENTRY;
	n += cmdline_len(a) + 1 + sizeof loader_name;
	for (unsigned i = 0; i < nmods; i++)
		n += mods[i].cmdline_len + 1;
	return n;
}

struct info_buf {
	uint8_t *p;
	uint64_t base, used;
};

/* Appends a NUL-terminated string; returns its guest address. */
static uint32_t add_string(struct info_buf *b, const char *s, size_t len)
{
	uint32_t addr = (uint32_t)(b->base + b->used);
	memcpy(b->p + b->used, s, len);
	b->p[b->used + len] = 0;
	b->used += len + 1;
	return addr;
}

static uint32_t add_cmdline(struct info_buf *b, const struct multiboot_args *a)
{
	uint32_t addr = (uint32_t)(b->base + b->used);
	size_t k = strlen(a->kernel_name);
	memcpy(b->p + b->used, a->kernel_name, k);
	b->p[b->used + k] = ' '; /* "<kernel> <append>", as QEMU builds it */
	b->used += k + 1;
	const char *app = a->append ? a->append : "";
	add_string(b, app, strlen(app));
	return addr;
}

static void fill_memory(uint8_t *mbi, struct info_buf *b, const struct boot_layout *L)
{
	wr32(mbi + 4, (uint32_t)(EBDA_BASE >> 10));                  /* mem_lower, KiB */
	wr32(mbi + 8, (uint32_t)((L->low_top - HIGH_RAM_BASE) >> 10)); /* mem_upper, KiB */
	wr32(mbi + 44, (uint32_t)(L->n_e820 * MMAP_ENTRY));          /* mmap_length */
	wr32(mbi + 48, (uint32_t)(b->base + b->used));               /* mmap_addr */
	for (unsigned i = 0; i < L->n_e820; i++) {
		uint8_t *e = b->p + b->used;
		wr32(e, 20);
		wr64(e + 4, L->e820[i].base);
		wr64(e + 12, L->e820[i].len);
		wr32(e + 20, L->e820[i].type);
		b->used += MMAP_ENTRY;
	}
}

static void fill_modules(uint8_t *mbi, struct info_buf *b, const struct mb_module *mods,
			 unsigned nmods)
{
	uint64_t list = b->used;
	wr32(mbi + 20, nmods);
	wr32(mbi + 24, (uint32_t)(b->base + list));
	b->used += (uint64_t)nmods * MOD_ENTRY;
	for (unsigned i = 0; i < nmods; i++) {
		uint8_t *ent = b->p + list + (uint64_t)i * MOD_ENTRY;
		wr32(ent, mods[i].start);
		wr32(ent + 4, mods[i].end);
		wr32(ent + 8, add_string(b, mods[i].cmdline, mods[i].cmdline_len));
		wr32(ent + 12, 0);
	}
}

int mb_write_info(pac_machine *m, const struct boot_layout *L, const struct multiboot_args *a,
		  const struct mb_module *mods, unsigned nmods, uint64_t at, uint32_t *info,
		  uint32_t *gdt, struct boot_error *e)
{
	uint64_t size = mb_info_size(a, mods, nmods);
	struct info_buf b = { calloc(1, size), at, MBI_OFF + MBI_SIZE };
	if (!b.p)
		return boot_fail(e, "out of memory building the Multiboot information");
	for (int i = 0; i < 3; i++)
		wr64(b.p + 8 * i, boot_gdt[i]);
	uint8_t *mbi = b.p + MBI_OFF;
	wr32(mbi, MBI_MEM | MBI_BOOTDEV | MBI_CMDLINE | MBI_MODS | MBI_MMAP | MBI_LOADER);
	wr32(mbi + 12, 0x8000ffffu); /* boot_device: BIOS drive 0x80, no partition */
	fill_memory(mbi, &b, L);
	fill_modules(mbi, &b, mods, nmods);
	wr32(mbi + 16, add_cmdline(&b, a));
	wr32(mbi + 64, add_string(&b, loader_name, sizeof loader_name - 1));
	int err = pac_phys_write(m, at, b.p, b.used);
	free(b.p);
	if (err)
		return boot_fail(e, "cannot write the Multiboot information: %s", pac_strerror(err));
	*info = (uint32_t)(at + MBI_OFF);
	*gdt = (uint32_t)at;
	return 0;
}
