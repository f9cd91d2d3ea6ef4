/* Instruction table: each row runs one stub (stubs.S) on an input state
 * and compares RAX/RCX/RDX and the defined flags with values worked out
 * from the APM (vol. 3, each instruction's "Flags Affected"). */
#ifndef GUEST_INSN_H
#define GUEST_INSN_H
#include <stdint.h>

struct istate { uint64_t flags, rax, rcx, rdx; };
typedef void insn_fn(struct istate *s);

struct insn_row {
	const char *name;
	insn_fn *fn;
	struct istate in, out;
	uint64_t fmask;		/* flags compared (undefined flags left out) */
};

#define CF 0x001ull
#define PF 0x004ull
#define AF 0x010ull
#define ZF 0x040ull
#define SF 0x080ull
#define OF 0x800ull
#define ARITH (CF | PF | AF | ZF | SF | OF)
#define LOGIC (CF | PF | ZF | SF | OF)	/* AF undefined */

extern const struct insn_row insn_rows[];
extern const unsigned insn_nrows;
#endif
