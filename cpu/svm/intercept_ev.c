/* SPDX-License-Identifier: MIT */
/* Event and access intercepts: exceptions 0-31 (15.12), INTR/NMI (15.13),
 * shutdown (15.12.x), IOIO with the IOPM (15.10) and MSR with the MSRPM
 * (15.11). Event intercepts switch worlds directly: they run where the
 * event is delivered (exception.c, run.c), not inside an instruction. */
#include "svm.h"
#include "../core/exec.h"
#include "../decode/insn.h"

/* EXITINTINFO / EVENTINJ encoding of an event (15.7.2) */
static uint64_t event_info(const struct event *ev)
{
	unsigned type;
	switch (ev->kind) {
	case EV_EXTINT: type = EVTYPE_INTR; break;
	case EV_NMI: type = EVTYPE_NMI; break;
	case EV_SOFTINT: type = EVTYPE_SOFTINT; break;
	default: type = EVTYPE_EXC; break;
	}
	uint64_t v = (uint64_t)(ev->vector & 0xff) | ((uint64_t)type << EVENT_TYPE_SHIFT) | EVENT_V;
	if (ev->has_err)
		v |= EVENT_EV | ((uint64_t)ev->err << EVENT_ERR_SHIFT);
	return v;
}

static void exit_now(struct cpu *c, uint64_t code, uint64_t i1, uint64_t i2, uint64_t intinfo,
		     uint64_t nrip)
{
	c->svm.exit_code = code;
	c->svm.exit_info1 = i1;
	c->svm.exit_info2 = i2;
	c->svm.exit_int_info = intinfo;
	c->svm.exit_nrip = nrip;
	svm_vmexit(c, true);
}

bool svm_event_intercept(struct cpu *c, const struct event *ev, const struct event *outer)
{
	if (!c->svm.guest || (c->svm.injecting && !outer))
		return false; /* the injected event itself is not intercepted (15.20) */
	if (ev->kind == EV_EXTINT || ev->kind == EV_NMI || ev->kind == EV_SOFTINT)
		return false; /* checked at their own sources */
	if (ev->vector < 0 || ev->vector > 31 || !((c->svm.ctl.icpt_exc >> ev->vector) & 1))
		return false;
	uint64_t i1 = ev->has_err ? ev->err : 0;
	uint64_t i2 = ev->is_pf ? ev->cr2 : 0; /* #PF: fault address, CR2 not written */
	/* NRIP for INT3/INTO (the trap-like exceptions of instructions) */
	uint64_t nrip = ev->kind == EV_SWEXC ? ev->next_rip : 0;
	exit_now(c, SVM_EXIT_EXCP0 + (unsigned)ev->vector, i1, i2, outer ? event_info(outer) : 0, nrip);
	return true;
}

bool svm_shutdown_intercept(struct cpu *c)
{
	if (!c->svm.guest || !((c->svm.ctl.icpt_vec3 >> ICPT3_SHUTDOWN) & 1))
		return false;
	exit_now(c, SVM_EXIT_SHUTDOWN, 0, 0, 0, 0);
	return true;
}

bool svm_intr_intercept(struct cpu *c, bool nmi)
{
	unsigned bit = nmi ? ICPT3_NMI : ICPT3_INTR;
	if (!c->svm.guest || !((c->svm.ctl.icpt_vec3 >> bit) & 1))
		return false;
	/* the interrupt stays pending (not acknowledged) for the host */
	exit_now(c, nmi ? SVM_EXIT_NMI : SVM_EXIT_INTR, 0, 0, 0, 0);
	return true;
}

bool svm_intr_if(const struct cpu *c)
{
	/* V_INTR_MASKING: physical interrupts are masked by the host's IF */
	if (c->svm.guest && (c->svm.ctl.vintr & VINTR_MASKING))
		return (c->svm.host.rflags & FL_IF) != 0;
	return (c->rflags & FL_IF) != 0;
}

/* IOPM: one bit per port, a multi-byte access checks every byte's bit
 * (the map has 64K + 3 bits for the wrap, 15.10.1). */
static bool iopm_hit(struct cpu *c, uint16_t port, int size)
{
	uint64_t base = c->svm.ctl.iopm_base & ~0xfffull;
	for (int i = 0; i < size; i++) {
		uint32_t p = (uint32_t)port + (uint32_t)i;
		uint8_t b = (uint8_t)phys_read(c->m, base + p / 8, 1, PAC_MT_WB);
		if ((b >> (p % 8)) & 1)
			return true;
	}
	return false;
}

static bool opc_is_in(uint8_t opc)
{
	return opc == 0xe4 || opc == 0xe5 || opc == 0xec || opc == 0xed || opc == 0x6c || opc == 0x6d;
}

void svm_io_intercept(struct cpu *c, uint16_t port, int size)
{
	if (!c->svm.guest || !((c->svm.ctl.icpt_vec3 >> ICPT3_IOIO) & 1) || !iopm_hit(c, port, size))
		return;
	const struct insn *in = c->cur;
	bool str = in->opc >= 0x6c && in->opc <= 0x6f;
	uint64_t info = (uint64_t)port << 16;
	info |= opc_is_in(in->opc) ? 1 : 0;
	info |= str ? 1u << 2 : 0;
	info |= (str && in->rep) ? 1u << 3 : 0;
	info |= size == 1 ? 1u << 4 : size == 2 ? 1u << 5 : 1u << 6;
	info |= in->addrsize == 2 ? 1u << 7 : in->addrsize == 4 ? 1u << 8 : 1u << 9;
	if (str)
		info |= (uint64_t)(opc_is_in(in->opc) ? SEG_ES : in->seg) << 10;
	svm_vmexit_raise(c, SVM_EXIT_IOIO, info, c->next_rip);
}

/* MSRPM (15.11): 2 bits per MSR (read, write) for three 8K-MSR ranges;
 * MSRs outside them are always intercepted. */
void svm_msr_intercept(struct cpu *c, uint32_t index, bool write)
{
	if (!c->svm.guest || !((c->svm.ctl.icpt_vec3 >> ICPT3_MSR) & 1))
		return;
	static const uint32_t range[3] = { 0x00000000u, 0xc0000000u, 0xc0010000u };
	bool hit = true;
	for (unsigned r = 0; r < 3; r++) {
		if (index - range[r] >= 0x2000u)
			continue;
		uint32_t bit = r * 0x4000u + (index - range[r]) * 2u + (write ? 1u : 0u);
		uint64_t base = c->svm.ctl.msrpm_base & ~0xfffull;
		uint8_t b = (uint8_t)phys_read(c->m, base + bit / 8, 1, PAC_MT_WB);
		hit = (b >> (bit % 8)) & 1;
	}
	if (hit)
		svm_vmexit_raise(c, SVM_EXIT_MSR, write ? 1 : 0, 0);
}
