/* SPDX-License-Identifier: MIT */
/* Multiboot v1 loader (Multiboot Specification 0.6.96): finds the header in
 * the first 8 KiB, loads the ELF32/ELF64 image or the a.out-kludge image,
 * the modules (-initrd "file args,file args"), writes the information
 * structure and sets the entry state of section 3.2: EAX=0x2BADB002,
 * EBX=info, flat 32-bit CS/DS/ES/FS/GS/SS, CR0.PE=1, PG=0, IF=0, VM=0. */
#include <stdlib.h>
#include <string.h>
#include "mb_internal.h"

#define INFO_LOW_BASE 0x8000ull /* below the EBDA, where GRUB legacy put it */
#define MAX_MODULES 64
#define BOOT_STACK 0x7c00u

long multiboot_find_header(const uint8_t *img, size_t len)
{
	size_t lim = len < MB_SEARCH_BYTES ? len : MB_SEARCH_BYTES;
	for (size_t off = 0; off + 12 <= lim; off += 4) {
		uint32_t magic = rd32(img + off), flags = rd32(img + off + 4), sum = rd32(img + off + 8);
		if (magic == MB_MAGIC && (uint32_t)(magic + flags + sum) == 0)
			return (long)off;
	}
	return -1;
}

static int no_header(const struct multiboot_args *a, struct boot_error *e)
{
	const char *n = a->kernel_name;
	int r = mb_check_elf_header(a, e);
	if (r < 0)
		return r; /* a broken ELF header says more than the missing Multiboot header */
	if (r == 0)
		return boot_fail(e, "%s: ELF file without a Multiboot header in its first 8 KiB", n);
	if (a->image_len >= 0x206 && memcmp(a->image + 0x202, "HdrS", 4) == 0)
		return boot_fail(e, "%s: Linux bzImage: the Linux boot protocol is not supported yet", n);
	return boot_fail(e, "%s: not a Multiboot kernel (no Multiboot header in the first 8 KiB)", n);
}

/* Splits "a x,b y" at commas (",," is a literal comma, as QEMU). */
static unsigned split_modules(const char *s, char **out, unsigned max)
{
	unsigned n = 0;
	while (s && *s && n < max) {
		char *buf = malloc(strlen(s) + 1), *w = buf;
		if (!buf)
			break;
		for (; *s; s++) {
			if (*s == ',' && s[1] == ',')
				*w++ = *s++;
			else if (*s == ',')
				break;
			else
				*w++ = *s;
		}
		*w = 0;
		out[n++] = buf;
		if (*s == ',')
			s++;
	}
	return n;
}

static int load_one_module(pac_machine *m, const struct boot_layout *L, const char *spec,
			   uint64_t *at, struct mb_module *mod, struct boot_error *e)
{
	size_t plen = strcspn(spec, " ");
	char *path = strndup(spec, plen);
	uint8_t *data = NULL;
	size_t len = 0;
	if (!path)
		return boot_fail(e, "out of memory");
	int r = read_whole_file(path, &data, &len, e);
	if (r == 0 && (*at + len > RAM_ABOVE_4G || !layout_is_ram(L, *at, len)))
		r = boot_fail(e, "module '%s' (%zu bytes) does not fit in guest RAM at 0x%llx", path, len,
			      (unsigned long long)*at);
	if (r == 0 && pac_phys_write(m, *at, data, len))
		r = boot_fail(e, "cannot write module '%s' to guest memory", path);
	if (r == 0) {
		mod->start = (uint32_t)*at;
		mod->end = (uint32_t)(*at + len);
		mod->cmdline = spec;
		mod->cmdline_len = strlen(spec);
		*at = align_up(*at + len, 4096);
	}
	free(data);
	free(path);
	return r;
}

static bool overlaps(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
	return a0 < b1 && b0 < a1;
}

/* Low memory if the kernel and modules leave it free, else after them. */
static int place_info(const struct boot_layout *L, uint64_t used0, uint64_t used1, uint64_t size,
		      uint64_t *at, struct boot_error *e)
{
	if (INFO_LOW_BASE + size <= EBDA_BASE && !overlaps(INFO_LOW_BASE, INFO_LOW_BASE + size, used0, used1)) {
		*at = INFO_LOW_BASE;
		return 0;
	}
	*at = align_up(used1, 4096);
	if (*at + size > RAM_ABOVE_4G || !layout_is_ram(L, *at, size))
		return boot_fail(e, "no room in guest RAM for the Multiboot information (%llu bytes)",
				 (unsigned long long)size);
	return 0;
}

static int set_entry_state(pac_machine *m, uint32_t entry, uint32_t info, uint32_t gdt)
{
	struct pac_regs r;
	int err = pac_get_regs(m, 0, &r);
	if (err)
		return err;
	memset(r.gpr, 0, sizeof r.gpr);
	r.gpr[PAC_RAX] = MB_BOOT_MAGIC;
	r.gpr[PAC_RBX] = info;
	r.gpr[PAC_RSP] = BOOT_STACK;
	r.rip = entry;
	r.rflags = 0x2; /* IF=0, VM=0 */
	for (int s = 0; s < 6; s++)
		r.seg[s] = (struct pac_seg){ .sel = 0x10, .attr = 0xc93, .limit = 0xffffffffu, .base = 0 };
	r.seg[PAC_CS] = (struct pac_seg){ .sel = 0x08, .attr = 0xc9b, .limit = 0xffffffffu, .base = 0 };
	r.gdtr = (struct pac_dtr){ gdt, 23 };
	r.idtr = (struct pac_dtr){ 0, 0 }; /* undefined by the spec: any exception shuts down */
	r.cr0 = 0x11; /* PE | ET, caches enabled */
	r.cr2 = r.cr3 = r.cr4 = r.cr8 = 0;
	r.efer = 0;
	r.cpl = 0;
	return pac_set_regs(m, 0, &r);
}

static int load_image(pac_machine *m, const struct boot_layout *L, const struct multiboot_args *a,
		      struct multiboot_result *res, struct mb_image *img, struct boot_error *e)
{
	long off = multiboot_find_header(a->image, a->image_len);
	if (off < 0)
		return no_header(a, e);
	uint32_t flags = rd32(a->image + off + 4);
	if (flags & 0xffff & ~MB_KNOWN_REQUIRED)
		return boot_fail(e, "%s: Multiboot header requires unsupported features (flags 0x%x)",
				 a->kernel_name, flags);
	if (flags & MB_FLAG_AOUT_KLUDGE) {
		res->is_aout_kludge = true;
		return mb_load_aout(m, L, a, (size_t)off, img, e);
	}
	int r = mb_load_elf(m, L, a, img, e);
	if (r == 1)
		return boot_fail(e, "%s: Multiboot header without the a.out kludge (flag 16) in a file "
				 "that is not ELF", a->kernel_name);
	res->is_elf = r == 0;
	return r;
}

int multiboot_load(pac_machine *m, const struct boot_layout *L, const struct multiboot_args *a,
		   struct multiboot_result *res, struct boot_error *e)
{
	struct mb_image img;
	struct mb_module mods[MAX_MODULES];
	char *specs[MAX_MODULES];
	memset(res, 0, sizeof *res);
	if (load_image(m, L, a, res, &img, e))
		return -1;
	unsigned n = split_modules(a->initrd, specs, MAX_MODULES);
	uint64_t at = align_up(img.end, 4096);
	int r = 0;
	for (unsigned i = 0; i < n && r == 0; i++)
		r = load_one_module(m, L, specs[i], &at, &mods[i], e);
	uint64_t info_at = 0;
	uint32_t info = 0, gdt = 0;
	if (r == 0)
		r = place_info(L, img.start, at, mb_info_size(a, mods, n), &info_at, e);
	if (r == 0)
		r = mb_write_info(m, L, a, mods, n, info_at, &info, &gdt, e);
	for (unsigned i = 0; i < n; i++)
		free(specs[i]);
	if (r)
		return -1;
	if (set_entry_state(m, (uint32_t)img.entry, info, gdt))
		return boot_fail(e, "cannot set the Multiboot entry state");
	*res = (struct multiboot_result){ (uint32_t)img.entry, info, (uint32_t)img.start,
					  (uint32_t)img.end, n, res->is_elf, res->is_aout_kludge };
	return 0;
}
