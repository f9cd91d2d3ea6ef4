/* SPDX-License-Identifier: MIT */
/* Loaders and firmware of libpacbios.a: the guest memory map, a tiny
 * real-mode BIOS stub, the Multiboot v1 loader and the boot-sector loader.
 * Errors come back as a one-line message in struct boot_error (this library
 * never prints or exits). */
#ifndef PAC_BIOS_H
#define PAC_BIOS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pacifica/pacifica.h"

struct boot_error {
	char msg[256];
};
/* printf into e->msg; returns -1 so loaders can `return boot_fail(...)` */
int boot_fail(struct boot_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- memory map (memmap.c) ---- */
#define LOW_RAM_END 0xa0000ull       /* conventional memory ends at 640 KiB */
#define EBDA_BASE 0x9fc00ull         /* last KiB of it is the EBDA (reserved) */
#define BIOS_ROM_BASE 0xf0000ull
#define BIOS_ROM_SIZE 0x10000ull
#define HIGH_RAM_BASE 0x100000ull    /* 1 MiB */
#define PCI_HOLE_BASE 0xe0000000ull  /* RAM above this moves to 4 GiB */
#define RAM_ABOVE_4G 0x100000000ull
#define MIN_RAM_BYTES (2ull << 20)

enum { E820_RAM = 1, E820_RESERVED = 2 };
struct e820_entry {
	uint64_t base, len;
	uint32_t type;
};
struct boot_layout {
	uint64_t ram_bytes;  /* total guest RAM */
	uint64_t low_top;    /* end of RAM below 4 GiB (>= 1 MiB + something) */
	uint64_t high_bytes; /* RAM mapped at 4 GiB */
	struct e820_entry e820[6];
	unsigned n_e820;
};
void layout_compute(struct boot_layout *L, uint64_t ram_bytes);
/* Maps RAM and the BIOS ROM into m. */
int layout_map(pac_machine *m, const struct boot_layout *L, struct boot_error *e);
/* Is [addr, addr + len) entirely inside one RAM range? (len may be 0) */
bool layout_is_ram(const struct boot_layout *L, uint64_t addr, uint64_t len);

/* ---- firmware stub (firmware.c) ---- */
/* Writes the BIOS ROM stub, the real-mode IVT and BDA and firmware MSR
 * state (MTRRs as a PC BIOS leaves them). */
int firmware_install(pac_machine *m, const struct boot_layout *L, struct boot_error *e);
/* Real-mode offsets (F000:off) of the stubs, for tests and docs. */
#define FW_IRET_OFF 0xe010u
#define FW_UNHANDLED_OFF 0xe020u
#define FW_IRQ_OFF 0xe030u

/* ---- files (file.c) ---- */
#define MAX_IMAGE_BYTES (1ull << 30)
int read_whole_file(const char *path, uint8_t **data, size_t *len, struct boot_error *e);

/* ---- Multiboot v1 (multiboot.c, mb_elf.c, mb_info.c) ---- */
struct multiboot_args {
	const char *kernel_name;    /* shown in error messages and the cmdline */
	const uint8_t *image;       /* kernel file contents */
	size_t image_len;
	const char *append;         /* -append, may be NULL */
	const char *initrd;         /* -initrd "file args,file args", may be NULL */
};
struct multiboot_result {
	uint32_t entry;
	uint32_t info_addr;
	uint32_t kernel_start, kernel_end;
	unsigned nmods;
	bool is_elf, is_aout_kludge;
};
int multiboot_load(pac_machine *m, const struct boot_layout *L, const struct multiboot_args *a,
		   struct multiboot_result *res, struct boot_error *e);
/* Multiboot header search: offset of a valid header in the first 8 KiB, or -1 */
long multiboot_find_header(const uint8_t *img, size_t len);

/* ---- boot sector (bootsector.c) ---- */
int bootsector_load(pac_machine *m, const char *name, const uint8_t *img, size_t len,
		    struct boot_error *e);

#endif
