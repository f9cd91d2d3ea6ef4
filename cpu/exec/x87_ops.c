/* SPDX-License-Identifier: MIT */
/* Every x87 computational, load/store, compare and stack instruction
 * (escape bytes D8-DF, register and memory forms) goes through one handler:
 * read the memory operand, run the instruction on the host engine
 * (x87_host.c), write the memory result, then commit the new state, so a
 * fault on either access leaves the FPU untouched (restartable).
 * Control instructions live in x87_ctl.c and x87_env.c. */
#include "handlers.h"
#include "x87.h"
#include "../core/fault.h"
#include "../mmu/mmu.h"

/* Memory operand bytes by escape byte and ModRM.reg (APM vol. 5 opcode
 * map); 0 = form handled elsewhere or #UD. */
static const uint8_t mem_bytes[8][8] = {
	{ 4, 4, 4, 4, 4, 4, 4, 4 },       /* D8: m32fp arithmetic/compare */
	{ 4, 0, 4, 4, 0, 0, 0, 0 },       /* D9: FLD/FST/FSTP m32fp */
	{ 4, 4, 4, 4, 4, 4, 4, 4 },       /* DA: m32int arithmetic/compare */
	{ 4, 4, 4, 4, 0, 10, 0, 10 },     /* DB: FILD/FISTTP/FIST/FISTP m32, FLD/FSTP m80 */
	{ 8, 8, 8, 8, 8, 8, 8, 8 },       /* DC: m64fp arithmetic/compare */
	{ 8, 8, 8, 8, 0, 0, 0, 0 },       /* DD: FLD/FISTTP/FST/FSTP m64 */
	{ 2, 2, 2, 2, 2, 2, 2, 2 },       /* DE: m16int arithmetic/compare */
	{ 2, 2, 2, 2, 10, 8, 10, 8 },     /* DF: FILD/FISTTP/FIST/FISTP m16, FBLD, FILD m64, FBSTP, FISTP m64 */
};
/* ModRM.reg values whose memory operand is a destination, per escape byte */
static const uint8_t mem_store[8] = { 0x00, 0x0c, 0x00, 0x8e, 0x00, 0x0e, 0x00, 0xce };

/* FCOMI/FCOMIP/FUCOMI/FUCOMIP: DB E8-F7, DF E8-F7 (APM vol. 5). ZF, PF,
 * CF from the compare, OF, SF and AF cleared. Hardware sets them
 * (unordered) even when #IA is unmasked. */
static bool sets_eflags(const struct insn *in)
{
	return (in->opc == 0xdb || in->opc == 0xdf) && in->modrm >= 0xe8 && in->modrm <= 0xf7;
}

/* An unmasked exception other than precision suppresses the store
 * (APM vol. 1, 6.4.2.3 / Intel SDM 8.5). */
static bool store_suppressed(const struct fpu *f, uint16_t new_flags)
{
	return (new_flags & ~f->fcw & (FSW_IE | FSW_DE | FSW_ZE | FSW_OE | FSW_UE)) != 0;
}

/* The reserved aliases run as their documented twins, so the host never
 * sees an encoding one vendor might reject: FCOM2 (DC D0+i) = FCOM,
 * FCOMP3 (DC D8+i) and FCOMP5 (DE D0+i) = FCOMP, FXCH4 (DD C8+i) and FXCH7
 * (DF C8+i) = FXCH, FSTP1 (D9 D8+i), FSTP8 (DF D0+i), FSTP9 (DF D8+i) =
 * FSTP ST(i). FFREEP (DF C0+i) is FFREE ST(i), then a pop: FFREE ST(0),
 * FINCSTP. */
static void run_on_host(struct fpu *f, const struct insn *in, uint8_t *buf, uint64_t *fl)
{
	uint8_t opc = in->opc, modrm = in->modrm, i = modrm & 7;
	if (!in->has_mem) {
		unsigned key = (unsigned)opc << 8 | (modrm & 0xf8u);
		switch (key) {
		case 0xdcd0: opc = 0xd8; modrm = (uint8_t)(0xd0 + i); break;
		case 0xdcd8: case 0xded0: opc = 0xd8; modrm = (uint8_t)(0xd8 + i); break;
		case 0xddc8: case 0xdfc8: opc = 0xd9; modrm = (uint8_t)(0xc8 + i); break;
		case 0xd9d8: case 0xdfd0: case 0xdfd8: opc = 0xdd; modrm = (uint8_t)(0xd8 + i); break;
		case 0xdfc0:
			x87_host_exec(f, 0xdd, (uint8_t)(0xc0 + i), buf, fl);
			x87_host_exec(f, 0xdd, 0xc0, buf, fl);
			opc = 0xd9;
			modrm = 0xf7;
			break;
		default: break;
		}
	}
	x87_host_exec(f, opc, modrm, buf, fl);
}

void op_x87_host(struct cpu *c, const struct insn *in)
{
	uint8_t buf[16] = { 0 };
	unsigned esc = in->opc & 7u, reg = (in->modrm >> 3) & 7u, n = 0;
	uint64_t off = 0;
	bool store = false;
	x87_check_pending(c);
	if (in->has_mem) {
		n = mem_bytes[esc][reg];
		store = (mem_store[esc] >> reg) & 1;
		if (!n)
			raise_internal(c, "x87: memory form without operand size");
		off = ea_offset(c, in);
		if (!store)
			mem_read_buf(c, in->seg, off, buf, n);
	}
	struct fpu nf = c->fpu;
	nf.fsw &= (uint16_t)~(FSW_EXC | FSW_SF);
	uint64_t fl = c->rflags;
	run_on_host(&nf, in, buf, &fl);
	uint16_t raised = nf.fsw & (FSW_EXC | FSW_SF);
	nf.fsw |= c->fpu.fsw & (FSW_EXC | FSW_SF);
	x87_update_es(&nf);
	if (store && !store_suppressed(&nf, raised))
		mem_write_buf(c, in->seg, off, buf, n);
	if (sets_eflags(in)) {
		c->rflags &= ~(uint64_t)(FL_OF | FL_SF | FL_AF | FL_ZF | FL_PF | FL_CF);
		c->rflags |= fl & (FL_ZF | FL_PF | FL_CF);
	}
	x87_record_last(c, &nf, in, off);
	c->fpu = nf;
}
