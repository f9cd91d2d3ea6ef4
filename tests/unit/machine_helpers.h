/* SPDX-License-Identifier: MIT */
/* Helpers for unit tests that run code snippets in libpaccpu. */
#ifndef PAC_MACHINE_HELPERS_H
#define PAC_MACHINE_HELPERS_H
#include <stdlib.h>
#include <string.h>
#include "pacifica/pacifica.h"

#define TM_RAM (16u << 20)

static inline pac_machine *tm_new(void)
{
	struct pac_config cfg = { .ncpus = 1, .seed = 1 };
	int err;
	pac_machine *m = pac_create(&cfg, &err);
	if (!m || pac_map_ram(m, 0, TM_RAM, NULL) != PAC_OK) {
		fprintf(stderr, "tm_new: %s\n", pac_strerror(err));
		exit(2);
	}
	return m;
}

static inline void tm_seg(struct pac_seg *s, uint16_t sel, uint16_t attr)
{
	s->sel = sel;
	s->attr = attr;
	s->base = 0;
	s->limit = (attr & 0x800) ? 0xffffffffu : 0xffff;
}

/* flat 32-bit protected mode, CPL 0 */
static inline void tm_prot32(pac_machine *m, struct pac_regs *r, uint64_t rip)
{
	pac_get_regs(m, 0, r);
	r->cr0 = 0x11; /* PE | ET */
	tm_seg(&r->seg[PAC_CS], 0x08, 0xc9b);
	for (int i = 0; i < 6; i++)
		if (i != PAC_CS)
			tm_seg(&r->seg[i], 0x10, 0xc93);
	r->rip = rip;
	r->gpr[PAC_RSP] = 0x80000;
	r->rflags = 2;
}

/* real mode at 0:rip */
static inline void tm_real(pac_machine *m, struct pac_regs *r, uint64_t rip)
{
	pac_get_regs(m, 0, r);
	for (int i = 0; i < 6; i++)
		tm_seg(&r->seg[i], 0, i == PAC_CS ? 0x9b : 0x93);
	r->rip = rip;
	r->gpr[PAC_RSP] = 0x7000;
}

/* runs until HLT (or limit); returns the exit reason */
static inline enum pac_exit_reason tm_run(pac_machine *m, const struct pac_regs *r,
					  const void *code, size_t len, uint64_t at)
{
	struct pac_exit ex;
	pac_phys_write(m, at, code, len);
	pac_set_regs(m, 0, r);
	pac_run(m, 100000, &ex);
	return ex.reason;
}

/* ---- observing exceptions (sysreg tests; additive) ----
 * The event hook sees every exception as it is delivered, whatever the
 * delivery path does afterwards, so a test can check the vector, error
 * code and faulting RIP of the first event of a run. */
struct tm_events {
	int n;
	int vector[8];
	bool has_err[8];
	uint32_t err[8];
	uint64_t rip[8];
};

static inline void tm_event_cb(void *ctx, int cpu, int vector, bool is_int, bool has_err,
			       uint32_t err, uint64_t rip)
{
	struct tm_events *e = ctx;
	(void)cpu; (void)is_int;
	if (e->n < 8) {
		e->vector[e->n] = vector;
		e->has_err[e->n] = has_err;
		e->err[e->n] = err;
		e->rip[e->n] = rip;
	}
	e->n++;
}

static inline void tm_watch_events(pac_machine *m, struct tm_events *e)
{
	static const struct pac_hooks hooks = { .event = tm_event_cb };
	memset(e, 0, sizeof *e);
	e->vector[0] = -1;
	pac_set_hooks(m, &hooks, e);
}

/* Real mode: IVT entries 0-31 point to stubs at 0:TM_EXC_STUBS + 8*v that
 * store v at 0:TM_EXC_VEC (CS-relative, so DS may be anything) and halt. */
#define TM_EXC_VEC 0x4f0
#define TM_EXC_STUBS 0x800
static inline void tm_real_exc_stubs(pac_machine *m)
{
	for (unsigned v = 0; v < 32; v++) {
		uint8_t stub[7] = { 0x2e, 0xc6, 0x06, TM_EXC_VEC & 0xff, TM_EXC_VEC >> 8, (uint8_t)v, 0xf4 };
		uint32_t ent = TM_EXC_STUBS + v * 8; /* segment 0 */
		pac_phys_write(m, ent, stub, sizeof stub);
		pac_phys_write(m, v * 4, &ent, 4);
	}
	uint8_t none = 0xff;
	pac_phys_write(m, TM_EXC_VEC, &none, 1);
}

static inline int tm_real_exc_vector(pac_machine *m)
{
	uint8_t v = 0;
	pac_phys_read(m, TM_EXC_VEC, &v, 1);
	return v == 0xff ? -1 : v;
}

/* flat 32-bit protected mode at CPL 3 (DPL-3 flat code and data) */
static inline void tm_prot32_user(pac_machine *m, struct pac_regs *r, uint64_t rip)
{
	tm_prot32(m, r, rip);
	tm_seg(&r->seg[PAC_CS], 0x1b, 0xcfb);
	for (int i = 0; i < 6; i++)
		if (i != PAC_CS)
			tm_seg(&r->seg[i], 0x23, 0xcf3);
	r->cpl = 3;
}

/* a one-CPU machine with the given CPU model (see pac_cpu_models) */
static inline pac_machine *tm_new_model(const char *model)
{
	struct pac_config cfg = { .ncpus = 1, .seed = 1, .cpu_model = model };
	int err;
	pac_machine *m = pac_create(&cfg, &err);
	if (!m || pac_map_ram(m, 0, TM_RAM, NULL) != PAC_OK) {
		fprintf(stderr, "tm_new_model(%s): %s\n", model, pac_strerror(err));
		exit(2);
	}
	return m;
}
#endif
