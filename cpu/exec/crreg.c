/* SPDX-License-Identifier: MIT */
/* MOV to/from CR0, CR2, CR3, CR4, CR8; LMSW, SMSW, CLTS
 * (APM vol. 3 "MOV CRn", "LMSW", "SMSW", "CLTS"; APM vol. 2 3.1, 14.6). */
#include "handlers.h"
#include "crreg.h"
#include "../core/fault.h"
#include "../cpuid/cpuid.h"
#include "../mmu/mmu.h"

/* CR0 bits with a meaning; the other bits of 31:0 are reserved and ignored,
 * bits 63:32 must be zero. ET is hard-wired to 1. */
#define CR0_DEFINED (CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | CR0_WP | CR0_AM | \
		     CR0_NW | CR0_CD | CR0_PG)
#define CR3_NOFLUSH (1ull << 63)

uint64_t cr4_valid_bits(const struct cpu *c)
{
	static const struct { int feat; uint64_t bit; } opt[] = {
		{ FEAT_PSE, CR4_PSE }, { FEAT_PAE, CR4_PAE }, { FEAT_PGE, CR4_PGE },
		{ FEAT_FXSR, CR4_OSFXSR }, { FEAT_SSE, CR4_OSXMMEXCPT }, { FEAT_UMIP, CR4_UMIP },
		{ FEAT_LA57, CR4_LA57 }, { FEAT_FSGSBASE, CR4_FSGSBASE }, { FEAT_PCID, CR4_PCIDE },
		{ FEAT_XSAVE, CR4_OSXSAVE }, { FEAT_SMEP, CR4_SMEP }, { FEAT_SMAP, CR4_SMAP },
		{ FEAT_PKU, CR4_PKE },
	};
	/* VME, PVI, TSD, DE, MCE and PCE exist on every model (CPUID 1 EDX 1, 2, 7) */
	uint64_t v = CR4_VME | CR4_PVI | CR4_TSD | CR4_DE | CR4_MCE | CR4_PCE;
	for (size_t i = 0; i < sizeof opt / sizeof opt[0]; i++)
		if (cpu_has(c, opt[i].feat))
			v |= opt[i].bit;
	return v;
}

/* Registers that make MOV CRn reload the legacy-PAE PDPTEs (the same sets
 * the MMU flushes on, docs/memtype.md) */
#define CR0_PDPTE_RELOAD (CR0_PG | CR0_WP | CR0_CD | CR0_PE)
#define CR4_PDPTE_RELOAD (CR4_PGE | CR4_PAE | CR4_PSE | CR4_PCIDE | CR4_SMEP | CR4_SMAP | CR4_LA57)

/* If the new state is legacy PAE paging, the PDPTEs at cr3 are loaded;
 * a present one with reserved bits set makes the MOV #GP(0) before
 * anything changes (APM 5.3.3; docs/memtype.md "Legacy PAE PDPTEs"). */
static MAYFAULT void check_pdptes(struct cpu *c, uint64_t cr0, uint64_t cr3, uint64_t cr4,
				  uint64_t efer)
{
	uint64_t tmp[4];
	if ((cr0 & CR0_PG) && (cr0 & CR0_PE) && (cr4 & CR4_PAE) && !(efer & EFER_LMA) &&
	    !mmu_read_pdptes(c, cr3, tmp))
		raise_gp0(c);
}

/* EFER after a CR0 write: LMA = LME & PG when PG changes (APM 14.6.1, 14.7) */
static uint64_t efer_after_cr0(const struct cpu *c, uint64_t cr0)
{
	if (!((cr0 ^ c->cr0) & CR0_PG))
		return c->efer;
	if ((cr0 & CR0_PG) && (c->efer & EFER_LME))
		return c->efer | EFER_LMA;
	return c->efer & ~EFER_LMA;
}

static MAYFAULT void check_cr0(struct cpu *c, uint64_t v)
{
	uint64_t old = c->cr0;
	bool pg_on = (v & CR0_PG) && !(old & CR0_PG);
	bool pg_off = !(v & CR0_PG) && (old & CR0_PG);
	if (v >> 32)
		raise_gp0(c);
	if ((v & CR0_PG) && !(v & CR0_PE))
		raise_gp0(c);
	if ((v & CR0_NW) && !(v & CR0_CD))
		raise_gp0(c);
	/* APM 14.6.1: long mode needs PAE before paging is enabled */
	if (pg_on && (c->efer & EFER_LME) && !(c->cr4 & CR4_PAE))
		raise_gp0(c);
	/* APM 14.7: long mode is left from compatibility mode only */
	if (pg_off && c->mode == MODE_LONG)
		raise_gp0(c);
	/* PCIDE can only be 1 in long mode (APM 3.1.3, 5.5.1) */
	if (pg_off && (c->cr4 & CR4_PCIDE))
		raise_gp0(c);
}

static MAYFAULT void write_cr0(struct cpu *c, uint64_t v)
{
	check_cr0(c, v);
	v = (v & CR0_DEFINED) | CR0_ET;
	uint64_t old = c->cr0;
	uint64_t efer = efer_after_cr0(c, v);
	if ((v ^ old) & CR0_PDPTE_RELOAD)
		check_pdptes(c, v, c->cr3, c->cr4, efer);
	c->cr0 = v;
	c->efer = efer;
	mode_update(c);
	mmu_cr_written(c, 0, old, v);
}

/* CR3: in long mode bits 63:MAXPHYADDR are MBZ; with CR4.PCIDE, bit 63 asks
 * for no flush and is not stored (APM 3.1.2, 5.5.1). Outside long mode the
 * operand is 32 bits and nothing is checked. mmu_cr_written gets the value
 * as written (bit 63 included) so it can honour the no-flush form. */
static MAYFAULT void write_cr3(struct cpu *c, uint64_t v)
{
	uint64_t as_written = v;
	if (c->efer & EFER_LMA) {
		if (c->cr4 & CR4_PCIDE)
			v &= ~CR3_NOFLUSH;
		else
			as_written &= ~CR3_NOFLUSH;
		if (v >> cpu_phys_bits(c))
			raise_gp0(c);
	} else {
		v = (uint32_t)v;
		as_written = v;
	}
	check_pdptes(c, c->cr0, v, c->cr4, c->efer);
	uint64_t old = c->cr3;
	c->cr3 = v;
	mode_update(c);
	mmu_cr_written(c, 3, old, as_written);
}

static MAYFAULT void write_cr4(struct cpu *c, uint64_t v)
{
	uint64_t old = c->cr4;
	bool lma = c->efer & EFER_LMA;
	if (v & ~cr4_valid_bits(c))
		raise_gp0(c);
	if (lma && !(v & CR4_PAE))
		raise_gp0(c); /* APM 14.7: PAE cannot be cleared in long mode */
	if (lma && ((v ^ old) & CR4_LA57))
		raise_gp0(c); /* LA57 changes only outside long mode */
	if ((v & CR4_PCIDE) && !(old & CR4_PCIDE) && (!lma || (c->cr3 & 0xfff)))
		raise_gp0(c); /* PCIDE: long mode and CR3[11:0] = 0 (APM 5.5.1) */
	if ((v ^ old) & CR4_PDPTE_RELOAD)
		check_pdptes(c, c->cr0, c->cr3, v, c->efer);
	c->cr4 = v;
	mode_update(c);
	mmu_cr_written(c, 4, old, v);
}

static MAYFAULT void write_cr8(struct cpu *c, uint64_t v)
{
	if (v & ~0xfull)
		raise_gp0(c); /* CR8[63:4] reserved, MBZ */
	uint64_t old = c->tpr;
	c->tpr = (uint8_t)v;
	mode_update(c);
	mmu_cr_written(c, 8, old, v);
}

MAYFAULT void cr_write(struct cpu *c, int crn, uint64_t v)
{
	switch (crn) {
	case 0: write_cr0(c, v); break;
	case 2: c->cr2 = v; break;
	case 3: write_cr3(c, v); break;
	case 4: write_cr4(c, v); break;
	case 8: write_cr8(c, v); break;
	default: raise_ud(c);
	}
}

uint64_t cr_read(const struct cpu *c, int crn)
{
	switch (crn) {
	case 0: return c->cr0;
	case 2: return c->cr2;
	case 3: return c->cr3;
	case 4: return c->cr4;
	default: return c->tpr;
	}
}

/* CR number of a MOV CRn: ModRM.reg (+REX.R). LOCK MOV CR0 names CR8 on AMD
 * (CPUID 8000_0001h ECX[AltMovCr8]). CR1, CR5-7, CR9-15 are #UD. */
static MAYFAULT int cr_number(struct cpu *c, const struct insn *in)
{
	int n = in->reg;
	if (in->lock) {
		if (n != 0)
			raise_ud(c);
		n = 8;
	}
	if (n != 0 && n != 2 && n != 3 && n != 4 && n != 8)
		raise_ud(c);
	return n;
}

/* Operand size of MOV CRn/DRn: 64 bits in 64-bit mode, else 32 (prefixes ignored) */
static int crdr_bytes(const struct insn *in) { return in->mode64 ? 8 : 4; }

void op_mov_r_cr(struct cpu *c, const struct insn *in)
{
	int n = cr_number(c, in);
	reg_write(c, in->rm, crdr_bytes(in), false, cr_read(c, n));
}

void op_mov_cr_r(struct cpu *c, const struct insn *in)
{
	int n = cr_number(c, in);
	cr_write(c, n, reg_read(c, in->rm, crdr_bytes(in), false));
}

/* LMSW: loads CR0[3:0] from the 16-bit operand; PE can be set, not cleared. */
void op_lmsw(struct cpu *c, const struct insn *in)
{
	uint64_t src = rm_read(c, in, 2);
	write_cr0(c, (c->cr0 & ~0xfull) | (src & 0xf) | (c->cr0 & CR0_PE));
}

/* SMSW: memory gets CR0[15:0]; a register gets CR0 at the operand size
 * (AMD). With CR4.UMIP, #GP(0) above CPL 0 (APM 3.1.3). */
void op_smsw(struct cpu *c, const struct insn *in)
{
	if ((c->cr4 & CR4_UMIP) && c->cpl > 0)
		raise_gp0(c);
	if (in->has_mem)
		rm_write(c, in, 2, c->cr0 & 0xffff);
	else
		reg_write(c, in->rm, in->opsize, false, c->cr0);
}

void op_clts(struct cpu *c, const struct insn *in)
{
	uint64_t old = c->cr0;
	c->cr0 &= ~CR0_TS;
	mmu_cr_written(c, 0, old, c->cr0);
}
