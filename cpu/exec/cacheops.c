/* SPDX-License-Identifier: MIT */
/* TLB and cache maintenance, fences, MONITOR/MWAIT: INVLPG, INVPCID,
 * WBINVD, INVD, CLFLUSH, CLFLUSHOPT, CLWB, CLZERO, LFENCE, MFENCE, SFENCE.
 * The emulated memory is coherent and in order, so cache operations and
 * fences only keep their exceptions (APM vol. 3 for each instruction). */
#include "handlers.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"

/* Checks a one-byte read at seg:off like a data read would (segment,
 * paging, #PF with the read error code) without touching the memory or
 * MMIO: CLFLUSH and MONITOR need the translation, not the data. */
static MAYFAULT void probe_read_byte(struct cpu *c, int seg, uint64_t off)
{
	unsigned acc = acc_data(c, ACC_R);
	gla_t gla = seg_linear(c, seg, off, 1, acc);
	struct tlb_entry *e = tlb_lookup(c, gla);
	if (e && ((e->perm >> (acc & 7)) & 1))
		return;
	struct xlate x;
	struct xfault f;
	if (mmu_translate(c, gla, acc, &x, &f))
		return;
	if (f.kind == XF_PF)
		raise_pf(c, gla, f.err);
	if (f.kind == XF_GP)
		raise_gp0(c);
	raise_unimp(c, "CLFLUSH/MONITOR translation fault kind");
}

/* INVLPG (CPL 0 by the row): the linear address of the operand, no
 * segment or paging checks; a non-canonical address is a no-op. */
void op_invlpg(struct cpu *c, const struct insn *in)
{
	uint64_t off = ea_offset(c, in);
	gla_t gla;
	if (c->mode == MODE_LONG) {
		gla = off + ((in->seg == SEG_FS || in->seg == SEG_GS) ? c->seg[in->seg].base : 0);
		if (!is_canonical(gla, cpu_va_bits(c)))
			return;
	} else {
		gla = (uint32_t)(c->seg[in->seg].base + off);
	}
	tlb_flush_page(c, gla);
}

/* INVPCID (66 0F 38 82): type in the register operand, a 16-byte
 * descriptor {PCID[11:0], reserved[63:12], linear address} in memory.
 * The TLB holds every PCID, so flushing more than asked is harmless. */
void op_invpcid(struct cpu *c, const struct insn *in)
{
	if (c->mode == MODE_V86)
		raise_ud(c);
	if (c->cpl > 0)
		raise_gp0(c);
	uint64_t type = reg_read(c, in->reg, in->mode64 ? 8 : 4, false);
	if (type > 3)
		raise_gp0(c);
	uint64_t desc[2];
	mem_read_buf(c, in->seg, ea_offset(c, in), desc, 16);
	uint16_t pcid = desc[0] & 0xfff;
	if (desc[0] >> 12)
		raise_gp0(c);
	if (type <= 1 && pcid && !(c->cr4 & CR4_PCIDE))
		raise_gp0(c);
	switch (type) {
	case 0:
		if (!is_canonical(desc[1], cpu_va_bits(c)))
			raise_gp0(c);
		tlb_flush_page(c, desc[1]);
		break;
	case 1: tlb_flush_pcid(c, pcid, true); break;
	case 2: tlb_flush_all(c); break;
	default: tlb_flush_nonglobal(c); break;
	}
}

/* WBINVD / INVD (CPL 0 by the row): no caches to write back or drop. */
void op_wbinvd(struct cpu *c, const struct insn *in) { (void)c; (void)in; }

/* CLFLUSH / CLFLUSHOPT / CLWB: faults like a byte read of the operand. */
void op_clflush(struct cpu *c, const struct insn *in)
{
	probe_read_byte(c, in->seg, ea_offset(c, in));
}

/* LFENCE / MFENCE / SFENCE: accesses are already performed in order. */
void op_fence(struct cpu *c, const struct insn *in) { (void)c; (void)in; }

/* CLZERO (0F 01 FC): zeroes the 64-byte line holding rAX (DS, overridable). */
void op_clzero(struct cpu *c, const struct insn *in)
{
	static const uint8_t zero[64];
	uint64_t off = c->gpr[0] & size_mask(in->addrsize) & ~63ull;
	mem_write_buf(c, in->seg, off, zero, sizeof zero);
}

/* ---- MONITOR / MWAIT (0F 01 C8 / C9) ---- */
#define HWCR_MONMWAIT_DIS (1ull << 9)
#define HWCR_MONMWAIT_USER_EN (1ull << 10)
#define MWAIT_ECX_IBE 1u /* interrupt is a break event even with IF = 0 */

/* #UD when disabled by HWCR, or above CPL 0 unless HWCR.MonMwaitUserEn */
static MAYFAULT void monitor_allowed(struct cpu *c)
{
	if (c->msr.hwcr & HWCR_MONMWAIT_DIS)
		raise_ud(c);
	if (c->cpl > 0 && !(c->msr.hwcr & HWCR_MONMWAIT_USER_EN))
		raise_ud(c);
}

/* MONITOR arms the line at DS:rAX; no extensions, so ECX must be 0. */
void op_monitor(struct cpu *c, const struct insn *in)
{
	monitor_allowed(c);
	if ((uint32_t)c->gpr[1] != 0)
		raise_gp0(c);
	probe_read_byte(c, in->seg, c->gpr[0] & size_mask(in->addrsize));
}

/* MWAIT. APPROX: stores to the monitored line are not tracked. With
 * RFLAGS.IF = 1 MWAIT waits like HLT until an interrupt (an interrupt is
 * always a wake-up event); otherwise it returns at once, which the APM
 * allows as a spurious wake-up ("MWAIT may exit for other reasons"). */
void op_mwait(struct cpu *c, const struct insn *in)
{
	monitor_allowed(c);
	if ((uint32_t)c->gpr[1] & ~MWAIT_ECX_IBE)
		raise_gp0(c);
	if (c->rflags & FL_IF)
		c->halted = true;
}
