/* SPDX-License-Identifier: MIT */
/* Loading ELF32 (EM_386) and ELF64 (EM_X86_64) executables for the Multiboot
 * loader: every PT_LOAD segment is copied to its physical address (p_paddr)
 * and zero-filled from p_filesz up to p_memsz. Every field read from the
 * file is bounds-checked before use (the file may be hostile). */
#include <string.h>
#include "mb_internal.h"

#define PT_LOAD 1
#define ET_EXEC 2
#define EM_386 3
#define EM_X86_64 62

struct elf_hdr {
	bool is64;
	uint16_t type, machine, phentsize, phnum;
	uint64_t entry, phoff;
};
struct elf_phdr {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

static int parse_ehdr(const struct multiboot_args *a, struct elf_hdr *h, struct boot_error *e)
{
	const uint8_t *p = a->image;
	size_t need;
	if (p[4] != 1 && p[4] != 2)
		return boot_fail(e, "%s: ELF file of unknown class %u", a->kernel_name, p[4]);
	h->is64 = p[4] == 2;
	need = h->is64 ? 64 : 52;
	if (a->image_len < need)
		return boot_fail(e, "%s: truncated ELF header (%zu bytes)", a->kernel_name, a->image_len);
	if (p[5] != 1)
		return boot_fail(e, "%s: big-endian ELF files are not x86 executables", a->kernel_name);
	h->type = rd16(p + 16);
	h->machine = rd16(p + 18);
	h->entry = h->is64 ? rd64(p + 24) : rd32(p + 24);
	h->phoff = h->is64 ? rd64(p + 32) : rd32(p + 28);
	h->phentsize = rd16(p + (h->is64 ? 54 : 42));
	h->phnum = rd16(p + (h->is64 ? 56 : 44));
	if (h->type != ET_EXEC)
		return boot_fail(e, "%s: ELF file is not an executable (e_type %u)", a->kernel_name, h->type);
	if (h->machine != (h->is64 ? EM_X86_64 : EM_386))
		return boot_fail(e, "%s: ELF%d file for machine %u, not x86", a->kernel_name,
				 h->is64 ? 64 : 32, h->machine);
	if (h->phentsize != (h->is64 ? 56 : 32) || h->phnum == 0)
		return boot_fail(e, "%s: bad ELF program header table (entry size %u, %u entries)",
				 a->kernel_name, h->phentsize, h->phnum);
	if (h->phoff > a->image_len || (uint64_t)h->phnum * h->phentsize > a->image_len - h->phoff)
		return boot_fail(e, "%s: truncated ELF file: program headers end beyond the file",
				 a->kernel_name);
	return 0;
}

static void read_phdr(const struct multiboot_args *a, const struct elf_hdr *h, unsigned i,
		      struct elf_phdr *ph)
{
	const uint8_t *p = a->image + h->phoff + (uint64_t)i * h->phentsize;
	ph->type = rd32(p);
	if (h->is64) {
		ph->offset = rd64(p + 8);
		ph->vaddr = rd64(p + 16);
		ph->paddr = rd64(p + 24);
		ph->filesz = rd64(p + 32);
		ph->memsz = rd64(p + 40);
	} else {
		ph->offset = rd32(p + 4);
		ph->vaddr = rd32(p + 8);
		ph->paddr = rd32(p + 12);
		ph->filesz = rd32(p + 16);
		ph->memsz = rd32(p + 20);
	}
}

static int check_phdr(const struct multiboot_args *a, const struct boot_layout *L,
		      const struct elf_phdr *ph, unsigned i, struct boot_error *e)
{
	const char *n = a->kernel_name;
	if (ph->filesz > ph->memsz)
		return boot_fail(e, "%s: ELF segment %u has p_filesz 0x%llx > p_memsz 0x%llx", n, i,
				 (unsigned long long)ph->filesz, (unsigned long long)ph->memsz);
	if (ph->offset > a->image_len || ph->filesz > a->image_len - ph->offset)
		return boot_fail(e, "%s: truncated ELF file: segment %u ends beyond the file", n, i);
	if (ph->paddr + ph->memsz < ph->paddr || ph->paddr + ph->memsz > RAM_ABOVE_4G)
		return boot_fail(e, "%s: ELF segment %u at 0x%llx is not below 4 GiB", n, i,
				 (unsigned long long)ph->paddr);
	if (!layout_is_ram(L, ph->paddr, ph->memsz))
		return boot_fail(e, "%s: ELF segment %u [0x%llx, 0x%llx) is outside guest RAM", n, i,
				 (unsigned long long)ph->paddr, (unsigned long long)(ph->paddr + ph->memsz));
	return 0;
}

static int load_segment(pac_machine *m, const struct multiboot_args *a, const struct elf_phdr *ph)
{
	int err = pac_phys_write(m, ph->paddr, a->image + ph->offset, ph->filesz);
	static const uint8_t zeros[4096];
	for (uint64_t off = ph->filesz; !err && off < ph->memsz; off += sizeof zeros) {
		uint64_t n = ph->memsz - off < sizeof zeros ? ph->memsz - off : sizeof zeros;
		err = pac_phys_write(m, ph->paddr + off, zeros, n);
	}
	return err;
}

/* e_entry is a virtual address: map it through the segment containing it. */
static uint64_t entry_paddr(const struct elf_hdr *h, const struct elf_phdr *phs, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (phs[i].type == PT_LOAD && h->entry >= phs[i].vaddr &&
		    h->entry - phs[i].vaddr < phs[i].memsz)
			return h->entry - phs[i].vaddr + phs[i].paddr;
	return h->entry;
}

int mb_check_elf_header(const struct multiboot_args *a, struct boot_error *e)
{
	struct elf_hdr h = { 0 };
	if (a->image_len < 4 || memcmp(a->image, "\x7f" "ELF", 4) != 0)
		return 1;
	if (a->image_len < 16)
		return boot_fail(e, "%s: truncated ELF header (%zu bytes)", a->kernel_name, a->image_len);
	return parse_ehdr(a, &h, e);
}

int mb_load_elf(pac_machine *m, const struct boot_layout *L, const struct multiboot_args *a,
		struct mb_image *out, struct boot_error *e)
{
	struct elf_hdr h = { 0 };
	struct elf_phdr phs[64];
	int r = mb_check_elf_header(a, e);
	if (r)
		return r;
	parse_ehdr(a, &h, e);
	if (h.phnum > sizeof phs / sizeof phs[0])
		return boot_fail(e, "%s: too many ELF program headers (%u)", a->kernel_name, h.phnum);
	out->start = UINT64_MAX;
	out->end = 0;
	for (unsigned i = 0; i < h.phnum; i++) {
		read_phdr(a, &h, i, &phs[i]);
		if (phs[i].type != PT_LOAD || phs[i].memsz == 0)
			continue;
		if (check_phdr(a, L, &phs[i], i, e))
			return -1;
		if (phs[i].paddr < out->start)
			out->start = phs[i].paddr;
		if (phs[i].paddr + phs[i].memsz > out->end)
			out->end = phs[i].paddr + phs[i].memsz;
	}
	if (out->end == 0)
		return boot_fail(e, "%s: ELF file has no loadable segment", a->kernel_name);
	for (unsigned i = 0; i < h.phnum; i++)
		if (phs[i].type == PT_LOAD && phs[i].memsz && load_segment(m, a, &phs[i]))
			return boot_fail(e, "%s: cannot write ELF segment %u to guest memory", a->kernel_name, i);
	out->entry = entry_paddr(&h, phs, h.phnum);
	if (out->entry >= RAM_ABOVE_4G)
		return boot_fail(e, "%s: ELF entry point 0x%llx is not below 4 GiB", a->kernel_name,
				 (unsigned long long)out->entry);
	return 0;
}
