/* SPDX-License-Identifier: MIT */
/* pac-memtype-probe (iodev/memtype_probe.c): reads return the signature and
 * the memory type of the access; offset 0xF00 returns the last write's. */
#include "test.h"
#include "machine_helpers.h"
#include "../../iodev/memtype_probe.h"

/* mov eax, [0xfeb00000 + off]; mov [0x2000], eax; hlt */
static uint32_t probe_read32(pac_machine *m, uint32_t cr0_extra, uint32_t off)
{
	uint32_t a = (uint32_t)MEMTYPE_PROBE_BASE + off;
	uint8_t code[] = { 0xa1, (uint8_t)a, (uint8_t)(a >> 8), (uint8_t)(a >> 16), (uint8_t)(a >> 24),
			   0xa3, 0x00, 0x20, 0x00, 0x00, 0xf4 };
	struct pac_regs r;
	uint32_t v = 0xdeadbeef;

	tm_prot32(m, &r, 0x1000);
	r.cr0 |= cr0_extra;
	CHECK_EQ(tm_run(m, &r, code, sizeof code, 0x1000), PAC_EXIT_HLT, "probe read run");
	pac_phys_read(m, 0x2000, &v, 4);
	return v;
}

int main(void)
{
	pac_machine *m = tm_new();
	struct memtype_probe *p = NULL;

	CHECK_EQ(memtype_probe_attach(m, MEMTYPE_PROBE_BASE, &p), PAC_OK, "attach");
	/* paging off: PAT type WB (MT-05) x MTRR type; MTRRs disabled -> UC */
	CHECK_EQ(probe_read32(m, 0, 0), MEMTYPE_PROBE_SIG | PAC_MT_UC, "MTRRs off: UC");
	CHECK_EQ(pac_set_msr(m, 0, 0x2ff, 0x800 | PAC_MT_WB), PAC_OK, "MTRRdefType WB");
	CHECK_EQ(probe_read32(m, 0, 0x1234), MEMTYPE_PROBE_SIG | PAC_MT_WB, "default WB");
	CHECK_EQ(probe_read32(m, 0x40000000u, 0), MEMTYPE_PROBE_SIG | PAC_MT_CD, "CR0.CD: CD");
	CHECK_EQ(probe_read32(m, 0, 0xf00), MEMTYPE_PROBE_SIG | 0xff, "no write yet");

	/* mov dword [0xfeb00010], 1 with MTRR default WT, then read offset 0xF00 */
	CHECK_EQ(pac_set_msr(m, 0, 0x2ff, 0x800 | PAC_MT_WT), PAC_OK, "MTRRdefType WT");
	uint8_t wr[] = { 0xc7, 0x05, 0x10, 0x00, 0xb0, 0xfe, 0x01, 0, 0, 0, 0xf4 };
	struct pac_regs r;
	tm_prot32(m, &r, 0x1000);
	CHECK_EQ(tm_run(m, &r, wr, sizeof wr, 0x1000), PAC_EXIT_HLT, "probe write run");
	CHECK_EQ(probe_read32(m, 0, 0x3f00), MEMTYPE_PROBE_SIG | PAC_MT_WT, "last write WT");

	pac_destroy(m);
	memtype_probe_free(p);
	return test_done("test_memtype_probe");
}
