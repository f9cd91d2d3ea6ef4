/* SPDX-License-Identifier: MIT */
/* Expands opcodes.def into the row table and the handler prototypes. */
#include "insn.h"
#include "../exec/handlers.h"

#define U_ALL FL_ARITH
const struct oprow op_rows[] = {
#define OP(n, o, map, opc, pfx, reg, mod, rm, imm, fl, feat, undef, svm, fn) \
	{ n, o, map, pfx, reg, mod, rm, opc, imm, fl, FEAT_##feat, undef, svm, fn },
#include "opcodes.def"
#undef OP
};
const unsigned op_nrows = sizeof op_rows / sizeof op_rows[0];
