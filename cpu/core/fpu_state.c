/* SPDX-License-Identifier: MIT */
/* pac_get_fpu / pac_set_fpu: the x87/SSE state as a 512-byte FXSAVE image
 * in the 64-bit (FXSAVE64) layout with all 16 XMM registers and MXCSR,
 * whatever the CPU mode. */
#include "cpu.h"
#include "../exec/fxsave.h"

static struct cpu *fpu_cpu(pac_machine *m, int i)
{
	return (m && i >= 0 && (unsigned)i < m->ncpus) ? m->cpus[i] : NULL;
}

int pac_get_fpu(pac_machine *m, int cpu, struct pac_fpu_state *f)
{
	struct cpu *c = fpu_cpu(m, cpu);
	if (!c || !f)
		return c ? PAC_ERR_INVAL : PAC_ERR_RANGE;
	memset(f->fxsave, 0, sizeof f->fxsave);
	fx_put_x87(c, f->fxsave, true);
	fx_put_mxcsr(c, f->fxsave);
	fx_put_xmm(c, f->fxsave, 16);
	return PAC_OK;
}

/* Rejects an image whose MXCSR has reserved bits set (FXRSTOR would #GP). */
int pac_set_fpu(pac_machine *m, int cpu, const struct pac_fpu_state *f)
{
	struct cpu *c = fpu_cpu(m, cpu);
	if (!c || !f)
		return c ? PAC_ERR_INVAL : PAC_ERR_RANGE;
	uint32_t mx = fx_get_mxcsr(f->fxsave);
	if (mx & ~0x0000ffffu)
		return PAC_ERR_INVAL;
	fx_get_x87(c, f->fxsave, true);
	c->mxcsr = mx;
	fx_get_xmm(c, f->fxsave, 16);
	return PAC_OK;
}
