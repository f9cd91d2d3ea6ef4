/* SPDX-License-Identifier: MIT */
/* The Multiboot "a.out kludge" (header flag bit 16): the header's address
 * fields say where the image goes. The file offset of load_addr is
 * header_offset - (header_addr - load_addr); load_end_addr 0 means "to the
 * end of the file", bss_end_addr 0 means "no BSS" (Multiboot 0.6.96, 3.1.3). */
#include "mb_internal.h"

struct aout_fields {
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
};

static int check_fields(const struct multiboot_args *a, const struct boot_layout *L,
			size_t hdr_off, const struct aout_fields *f, uint64_t *file_off,
			uint64_t *load_len, struct boot_error *e)
{
	const char *n = a->kernel_name;
	if (f->header_addr < f->load_addr || f->header_addr - f->load_addr > hdr_off)
		return boot_fail(e, "%s: a.out kludge: header_addr 0x%x / load_addr 0x%x do not match "
				 "the header's file offset 0x%zx", n, f->header_addr, f->load_addr, hdr_off);
	*file_off = hdr_off - (f->header_addr - f->load_addr);
	uint64_t end = f->load_end_addr ? f->load_end_addr
					 : f->load_addr + (a->image_len - *file_off);
	if (end < f->load_addr)
		return boot_fail(e, "%s: a.out kludge: load_end_addr 0x%x is below load_addr 0x%x", n,
				 f->load_end_addr, f->load_addr);
	*load_len = end - f->load_addr;
	if (*load_len > a->image_len - *file_off)
		return boot_fail(e, "%s: a.out kludge: load_end_addr 0x%llx is beyond the end of the file",
				 n, (unsigned long long)end);
	if (f->bss_end_addr && f->bss_end_addr < end)
		return boot_fail(e, "%s: a.out kludge: bss_end_addr 0x%x is below load_end_addr 0x%llx",
				 n, f->bss_end_addr, (unsigned long long)end);
	uint64_t top = f->bss_end_addr ? f->bss_end_addr : end;
	if (!layout_is_ram(L, f->load_addr, top - f->load_addr))
		return boot_fail(e, "%s: a.out kludge: image [0x%x, 0x%llx) is outside guest RAM", n,
				 f->load_addr, (unsigned long long)top);
	if (f->entry_addr < f->load_addr || f->entry_addr >= top)
		return boot_fail(e, "%s: a.out kludge: entry_addr 0x%x is outside the image", n,
				 f->entry_addr);
	return 0;
}

int mb_load_aout(pac_machine *m, const struct boot_layout *L, const struct multiboot_args *a,
		 size_t hdr_off, struct mb_image *out, struct boot_error *e)
{
	const uint8_t *h = a->image + hdr_off;
	if (hdr_off + 32 > a->image_len)
		return boot_fail(e, "%s: a.out kludge: Multiboot header truncated", a->kernel_name);
	struct aout_fields f = { rd32(h + 12), rd32(h + 16), rd32(h + 20), rd32(h + 24), rd32(h + 28) };
	uint64_t file_off = 0, len = 0;
	if (check_fields(a, L, hdr_off, &f, &file_off, &len, e))
		return -1;
	int err = pac_phys_write(m, f.load_addr, a->image + file_off, len);
	uint64_t top = f.bss_end_addr ? f.bss_end_addr : f.load_addr + len;
	static const uint8_t zeros[4096];
	for (uint64_t p = f.load_addr + len; !err && p < top; p += sizeof zeros)
		err = pac_phys_write(m, p, zeros, top - p < sizeof zeros ? top - p : sizeof zeros);
	if (err)
		return boot_fail(e, "%s: cannot write the image to guest memory", a->kernel_name);
	out->start = f.load_addr;
	out->end = top;
	out->entry = f.entry_addr;
	return 0;
}
