/* SPDX-License-Identifier: MIT */
/* -fda IMG without firmware: sector 0 of the image goes to 0000:7C00 and the
 * CPU starts there in real mode with DL = 0 (first floppy drive), as a PC
 * BIOS hands over after INT 19h. Only sector 0 is loaded: INT 13h is not
 * implemented by the BIOS stub (see firmware.c). */
#include <string.h>
#include "bios.h"

#define BOOT_ADDR 0x7c00u

int bootsector_load(pac_machine *m, const char *name, const uint8_t *img, size_t len,
		    struct boot_error *e)
{
	if (len < 512)
		return boot_fail(e, "%s: disk image is shorter than one 512-byte sector (%zu bytes)", name, len);
	if (img[510] != 0x55 || img[511] != 0xaa)
		return boot_fail(e, "%s: sector 0 has no boot signature (55 AA at offset 510)", name);
	if (pac_phys_write(m, BOOT_ADDR, img, 512))
		return boot_fail(e, "cannot write the boot sector to guest memory");
	struct pac_regs r;
	if (pac_get_regs(m, 0, &r))
		return boot_fail(e, "cannot read the CPU state");
	memset(r.gpr, 0, sizeof r.gpr);
	r.gpr[PAC_RDX] = 0x00; /* DL: boot drive A: */
	r.gpr[PAC_RSP] = BOOT_ADDR;
	for (int s = 0; s < 6; s++)
		r.seg[s] = (struct pac_seg){ .sel = 0, .attr = 0x93, .limit = 0xffff, .base = 0 };
	r.seg[PAC_CS].attr = 0x9b;
	r.rip = BOOT_ADDR;
	r.rflags = 0x202; /* a BIOS boots with interrupts enabled */
	r.idtr = (struct pac_dtr){ 0, 0x3ff };
	r.cr0 = 0x10; /* ET; the BIOS turned the caches on */
	if (pac_set_regs(m, 0, &r))
		return boot_fail(e, "cannot set the boot-sector entry state");
	return 0;
}
