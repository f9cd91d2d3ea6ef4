/* SPDX-License-Identifier: MIT */
/* Debug breakpoints and traps (APM vol. 2, 13.1): DR0-DR3 data, instruction
 * and I/O breakpoints, DR6 bits, single-step merged with a data breakpoint,
 * the MOV SS shadow, REP iterations, INT1 and general detect. 32-bit
 * protected mode at CPL 0 (segtest.h), one long-mode 8-byte breakpoint. */
#include "segtest.h"

#define DATA 0x5000u
#define DR6_INIT 0xffff0ff0u
/* DR7 for breakpoint 0: L0, R/W0 and LEN0 fields */
#define DR7_BP0(rw, len) (0x401u | ((rw) << 16) | ((len) << 18))
enum { RW_X = 0, RW_W = 1, RW_IO = 2, RW_RW = 3 };
enum { LEN1 = 0, LEN2 = 1, LEN8 = 2, LEN4 = 3 };

static pac_machine *setup(struct pac_regs *r, uint64_t dr0, uint64_t dr7)
{
	pac_machine *m = st_prot32(r);
	r->dr[0] = dr0;
	r->dr[6] = DR6_INIT;
	r->dr[7] = dr7;
	st_log_events(m);
	return m;
}

static int db_count(void)
{
	int n = 0;
	for (int i = 0; i < st_nev; i++)
		n += st_evs[i].vec == 1;
	return n;
}

/* A write overlapping a 4-byte write breakpoint traps after the store. */
static void t_data_write(void)
{
	struct pac_regs r;
	pac_machine *m = setup(&r, DATA, DR7_BP0(RW_W, LEN4));
	static const uint8_t code[] = /* mov dword [DATA+2], 1; hlt */
		{ 0xc7, 0x05, 0x02, 0x50, 0, 0, 1, 0, 0, 0, 0xf4 };
	CHECK_EQ(st_run(m, &r, code, sizeof code), PAC_EXIT_HLT, "exit");
	CHECK_VEC(r, 1);
	CHECK_EQ(st_r32(m, ST_STACK0 - 12), ST_CODE + 10, "trap: EIP after the store");
	CHECK_EQ(st_r32(m, DATA + 2), 1, "the store happened");
	CHECK_EQ(r.dr[6], DR6_INIT | 1, "DR6.B0");
	pac_destroy(m);
}

/* A write breakpoint ignores reads; a read/write one matches them. LEN 1
 * at DATA+3: a word read at DATA+4 misses, one at DATA+2 hits. */
static void t_data_read(void)
{
	struct pac_regs r;
	static const uint8_t rd[] = /* mov eax, [DATA]; hlt */
		{ 0xa1, 0x00, 0x50, 0, 0, 0xf4 };
	pac_machine *m = setup(&r, DATA, DR7_BP0(RW_W, LEN4));
	CHECK_EQ(st_run(m, &r, rd, sizeof rd), PAC_EXIT_HLT, "exit");
	CHECK_EQ(r.rip, ST_CODE + 6, "write breakpoint: a read does not trap");
	pac_destroy(m);

	static const uint8_t w4[] = /* mov ax, [DATA+4]; hlt */
		{ 0x66, 0xa1, 0x04, 0x50, 0, 0, 0xf4 };
	m = setup(&r, DATA + 3, DR7_BP0(RW_RW, LEN1));
	st_run(m, &r, w4, sizeof w4);
	CHECK_EQ(r.rip, ST_CODE + 7, "word at DATA+4 misses the byte at DATA+3");
	pac_destroy(m);

	static const uint8_t w2[] = /* mov ax, [DATA+2]; hlt */
		{ 0x66, 0xa1, 0x02, 0x50, 0, 0, 0xf4 };
	m = setup(&r, DATA + 3, DR7_BP0(RW_RW, LEN1));
	st_run(m, &r, w2, sizeof w2);
	CHECK_VEC(r, 1);
	CHECK_EQ(r.dr[6], DR6_INIT | 1, "word at DATA+2 covers DATA+3");
	pac_destroy(m);

	/* disabled (L0 = G0 = 0): nothing */
	m = setup(&r, DATA, DR7_BP0(RW_RW, LEN4) & ~3u);
	st_run(m, &r, rd, sizeof rd);
	CHECK_EQ(r.rip, ST_CODE + 6, "disabled breakpoint");
	CHECK_EQ(r.dr[6], DR6_INIT, "DR6 untouched");
	pac_destroy(m);
}

/* Instruction breakpoint: fault before the instruction, RF = 0 pushed;
 * RF = 1 suppresses it for one instruction. */
static void t_instruction(void)
{
	struct pac_regs r;
	static const uint8_t code[] = /* nop; nop; hlt */
		{ 0x90, 0x90, 0xf4 };
	pac_machine *m = setup(&r, ST_CODE + 1, DR7_BP0(RW_X, LEN1));
	CHECK_EQ(st_run(m, &r, code, sizeof code), PAC_EXIT_HLT, "exit");
	CHECK_VEC(r, 1);
	CHECK_EQ(st_r32(m, ST_STACK0 - 12), ST_CODE + 1, "fault: EIP of the instruction");
	CHECK_EQ(st_r32(m, ST_STACK0 - 4) & 0x10000, 0, "pushed RF = 0");
	CHECK_EQ(r.dr[6], DR6_INIT | 1, "DR6.B0");
	pac_destroy(m);

	m = setup(&r, ST_CODE, DR7_BP0(RW_X, LEN1));
	r.rflags |= 0x10000;
	st_run(m, &r, code, sizeof code);
	CHECK_EQ(r.rip, ST_CODE + 3, "RF = 1: the breakpoint is skipped once");
	CHECK_EQ(r.rflags & 0x10000, 0, "RF cleared after the instruction");
	pac_destroy(m);
}

/* TF and a data breakpoint in one instruction: one #DB with BS and B0. */
static void t_step_and_data(void)
{
	struct pac_regs r;
	pac_machine *m = setup(&r, DATA, DR7_BP0(RW_W, LEN4));
	r.rflags |= 0x100;
	static const uint8_t code[] = /* mov dword [DATA], 1 */
		{ 0xc7, 0x05, 0x00, 0x50, 0, 0, 1, 0, 0, 0 };
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 1);
	CHECK_EQ(r.dr[6], DR6_INIT | 0x4001, "DR6.BS | DR6.B0");
	CHECK_EQ(db_count(), 1, "a single #DB");
	pac_destroy(m);
}

/* MOV SS holds the single-step trap until after the next instruction. */
static void t_mov_ss_shadow(void)
{
	struct pac_regs r;
	pac_machine *m = setup(&r, 0, 0x400);
	static const uint8_t code[] = {
		0x8c, 0xd0,                               /* mov eax, ss */
		0x9c, 0x81, 0x0c, 0x24, 0, 1, 0, 0, 0x9d, /* pushfd; or [esp], 0x100; popfd */
		0x8e, 0xd0,                               /* mov ss, eax */
		0x90, 0xf4                                /* nop; hlt */
	};
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 1);
	CHECK_EQ(st_r32(m, ST_STACK0 - 12), ST_CODE + 14, "trap after the nop, not after mov ss");
	CHECK_EQ(r.dr[6], DR6_INIT | 0x4000, "DR6.BS");
	CHECK_EQ(db_count(), 1, "one #DB");
	pac_destroy(m);
}

/* REP STOSB: the trap comes after the iteration that wrote DATA+3, with
 * EIP on the REP instruction and ECX/EDI of the remaining iterations. */
static void t_rep_iteration(void)
{
	struct pac_regs r;
	pac_machine *m = setup(&r, DATA + 3, DR7_BP0(RW_W, LEN1));
	r.gpr[PAC_RDI] = DATA;
	r.gpr[PAC_RCX] = 8;
	r.gpr[PAC_RAX] = 0xaa;
	static const uint8_t code[] = /* rep stosb; hlt */
		{ 0xf3, 0xaa, 0xf4 };
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 1);
	CHECK_EQ(st_r32(m, ST_STACK0 - 12), ST_CODE, "EIP of the REP instruction");
	CHECK_EQ(r.gpr[PAC_RCX], 4, "ECX after four iterations");
	CHECK_EQ(r.gpr[PAC_RDI], DATA + 4, "EDI");
	CHECK_EQ(st_r32(m, DATA), 0xaaaaaaaa, "four bytes stored");
	CHECK_EQ(st_r32(m, DATA + 4), 0, "the fifth not yet");
	pac_destroy(m);
}

/* I/O breakpoints need CR4.DE; without it R/W = 10 matches nothing here. */
static void t_io(void)
{
	struct pac_regs r;
	static const uint8_t code[] = /* out 0x80, al; hlt */
		{ 0xe6, 0x80, 0xf4 };
	pac_machine *m = setup(&r, 0x80, DR7_BP0(RW_IO, LEN1));
	r.cr4 |= 8;
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 1);
	CHECK_EQ(st_r32(m, ST_STACK0 - 12), ST_CODE + 2, "I/O trap after OUT");
	CHECK_EQ(r.dr[6], DR6_INIT | 1, "DR6.B0");
	pac_destroy(m);

	m = setup(&r, 0x80, DR7_BP0(RW_IO, LEN1));
	st_run(m, &r, code, sizeof code);
	CHECK_EQ(r.rip, ST_CODE + 3, "CR4.DE = 0: no I/O breakpoint");
	pac_destroy(m);
}

/* INT1 is a #DB trap that leaves DR6 alone; GD faults MOV DRn with BD. */
static void t_int1_and_gd(void)
{
	struct pac_regs r;
	static const uint8_t icebp[] = { 0xf1 };
	pac_machine *m = setup(&r, 0, 0x400);
	st_run(m, &r, icebp, sizeof icebp);
	CHECK_VEC(r, 1);
	CHECK_EQ(st_r32(m, ST_STACK0 - 12), ST_CODE + 1, "INT1: EIP after F1");
	CHECK_EQ(r.dr[6], DR6_INIT, "INT1 leaves DR6");
	pac_destroy(m);

	static const uint8_t movdr[] = /* mov eax, dr0 */
		{ 0x0f, 0x21, 0xc0 };
	m = setup(&r, 0, 0x2400);
	st_run(m, &r, movdr, sizeof movdr);
	CHECK_VEC(r, 1);
	CHECK_EQ(st_r32(m, ST_STACK0 - 12), ST_CODE, "GD: fault on MOV DR");
	CHECK_EQ(r.dr[6], DR6_INIT | 0x2000, "DR6.BD");
	CHECK_EQ(r.dr[7], 0x400, "GD cleared");
	pac_destroy(m);
}

/* Long mode: LEN = 10 is an 8-byte range (AMD). */
static void t_len8_long(void)
{
	struct pac_regs r;
	pac_machine *m = st_long64(&r);
	r.dr[0] = DATA + 8;
	r.dr[6] = DR6_INIT;
	r.dr[7] = DR7_BP0(RW_W, LEN8);
	static const uint8_t code[] = /* mov byte [DATA+15], 1; hlt */
		{ 0xc6, 0x04, 0x25, 0x0f, 0x50, 0, 0, 1, 0xf4 };
	st_run(m, &r, code, sizeof code);
	CHECK_VEC(r, 1);
	CHECK_EQ(r.dr[6], DR6_INIT | 1, "byte 7 of the 8-byte range");
	pac_destroy(m);
}

int main(void)
{
	t_data_write();
	t_data_read();
	t_instruction();
	t_step_and_data();
	t_mov_ss_shadow();
	t_rep_iteration();
	t_io();
	t_int1_and_gd();
	t_len8_long();
	return test_done("dbg");
}
