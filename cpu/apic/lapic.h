/* SPDX-License-Identifier: MIT */
/* The local APIC of each CPU (APM vol. 2 ch. 16, SDM vol. 3 ch. 10/11):
 * xAPIC MMIO page at IA32_APIC_BASE, x2APIC MSRs 0x800-0x8FF, interrupt
 * acceptance (IRR/ISR/TMR, TPR/PPR), IPIs (ICR), LVT and the timer.
 * The APIC bus clock is 1 GHz: one bus cycle per virtual nanosecond, so
 * the timer counts down every `divide` ns (cpu/apic/lapic_timer.c). */
#ifndef PAC_LAPIC_H
#define PAC_LAPIC_H
#include "../core/cpu.h"

/* register offsets of the xAPIC page (x2APIC MSR = 0x800 + offset / 16) */
enum {
	LA_ID = 0x20, LA_VER = 0x30, LA_TPR = 0x80, LA_APR = 0x90, LA_PPR = 0xa0,
	LA_EOI = 0xb0, LA_RRD = 0xc0, LA_LDR = 0xd0, LA_DFR = 0xe0, LA_SVR = 0xf0,
	LA_ISR = 0x100, LA_TMR = 0x180, LA_IRR = 0x200, LA_ESR = 0x280,
	LA_ICR_LO = 0x300, LA_ICR_HI = 0x310, LA_LVT_TIMER = 0x320,
	LA_LVT_THERMAL = 0x330, LA_LVT_PMC = 0x340, LA_LVT_LINT0 = 0x350,
	LA_LVT_LINT1 = 0x360, LA_LVT_ERROR = 0x370, LA_TIMER_ICR = 0x380,
	LA_TIMER_CCR = 0x390, LA_TIMER_DCR = 0x3e0, LA_SELF_IPI = 0x3f0
};
/* LVT index = (offset - 0x320) / 16 */
enum { LVT_TIMER, LVT_THERMAL, LVT_PMC, LVT_LINT0, LVT_LINT1, LVT_ERROR, LVT_COUNT };

#define LAPIC_VERSION 0x00050010u /* version 10h, max LVT entry 5, no extended space */
#define LVT_MASKED (1u << 16)
#define LVT_DM(v) (((v) >> 8) & 7)
#define SVR_ENABLE (1u << 8)

/* delivery modes (ICR, LVT, I/O APIC redirection entries) */
enum { DM_FIXED = 0, DM_LOWEST = 1, DM_SMI = 2, DM_NMI = 4, DM_INIT = 5, DM_STARTUP = 6,
       DM_EXTINT = 7 };
/* ESR bits (SDM 10.5.3) */
#define ESR_SEND_ILLEGAL (1u << 5)
#define ESR_RECV_ILLEGAL (1u << 6)
#define ESR_ILLEGAL_REG (1u << 7)

/* IA32_APIC_BASE bits */
#define APIC_BASE_BSP (1ull << 8)
#define APIC_BASE_EXTD (1ull << 10)
#define APIC_BASE_EN (1ull << 11)

struct lapic {
	uint32_t id;           /* xAPIC: ID[31:24]; x2APIC: the 32-bit x2APIC ID */
	uint8_t tpr_lo;        /* TPR[3:0]; TPR[7:4] is c->tpr (CR8) */
	uint8_t tpr_hi_seen;   /* c->tpr when tpr_lo was written */
	uint32_t ldr, dfr, svr;
	uint32_t esr, esr_pending;
	uint32_t icr_lo, icr_hi;
	uint32_t lvt[LVT_COUNT];
	uint32_t irr[8], isr[8], tmr[8];
	bool irr_any;          /* some IRR bit set (fast path of the run loop) */
	/* timer */
	uint32_t timer_icr, timer_dcr;
	uint64_t timer_start;  /* virtual ns when the count was loaded */
	uint64_t tsc_deadline; /* IA32_TSC_DEADLINE */
	int timer_id;          /* pac_timer id, -1 if none */
	/* INIT/SIPI state machine and pending external events */
	bool wait_sipi;        /* AP in wait-for-SIPI: not executing */
	bool init_pending, sipi_pending, extint_pending;
	uint8_t sipi_vector;
};

/* lapic.c: life cycle */
int lapic_create(struct cpu *c);          /* pac_create, after cpu_reset */
void lapic_free(struct cpu *c);
void lapic_reset(struct cpu *c, bool keep_id); /* registers to power-on/INIT values */
bool lapic_hw_enabled(const struct cpu *c);
bool lapic_x2apic(const struct cpu *c);
bool lapic_sw_enabled(const struct cpu *c);
uint64_t lapic_now(struct cpu *c);        /* virtual ns */

/* lapic_irq.c: acceptance and priorities */
void lapic_set_irr(struct cpu *c, uint8_t vec, bool level);
int lapic_highest(const uint32_t v[8]);   /* highest set bit, -1 if none */
uint8_t lapic_ppr(const struct cpu *c);
uint8_t lapic_apr(const struct cpu *c);
uint8_t lapic_tpr(const struct cpu *c);
void lapic_write_tpr(struct cpu *c, uint8_t v);
void lapic_eoi(struct cpu *c);
void lapic_error(struct cpu *c, uint32_t esr_bits);
void lapic_local_deliver(struct cpu *c, int lvt); /* LVT timer/error/... fires */
/* INTR at an instruction boundary: is a vector deliverable, and take it */
bool lapic_intr_pending(struct cpu *c);
int lapic_intr_ack(struct cpu *c);

/* lapic_ipi.c: the APIC bus */
struct apic_msg {
	uint32_t dest;
	bool logical, x2;      /* x2: 32-bit destination format */
	uint8_t mode, vector;
	bool level;            /* level-triggered (sets TMR) */
	bool assert_;          /* INIT: false = level de-assert */
	int shorthand;         /* 0 none, 1 self, 2 all incl. self, 3 all but self */
	int src;               /* sending CPU index, -1 for a device */
};
void apic_bus_send(struct pac_machine *m, const struct apic_msg *msg);
void lapic_send_icr(struct cpu *c);

/* lapic_timer.c */
void lapic_timer_write_lvt(struct cpu *c, uint32_t v);
void lapic_timer_write_icr(struct cpu *c, uint32_t v);
void lapic_timer_write_dcr(struct cpu *c, uint32_t v);
uint32_t lapic_timer_ccr(struct cpu *c);
bool lapic_tsc_deadline_read(struct cpu *c, uint64_t *v);
void lapic_tsc_deadline_write(struct cpu *c, uint64_t v);
void lapic_timer_stop(struct cpu *c);

/* lapic_regs.c: register file by xAPIC offset (both access paths) */
uint32_t lapic_lvt_writable(const struct cpu *c, int lvt);
uint32_t lapic_reg_read(struct cpu *c, unsigned off, bool *ok);
bool lapic_reg_write(struct cpu *c, unsigned off, uint32_t v);

/* lapic_access.c: the hooks the rest of libpaccpu calls */
bool lapic_mmio_claims(const struct cpu *c, spa_t spa);  /* cpu/mmu/access.c */
uint64_t lapic_mmio_read(struct cpu *c, spa_t spa, unsigned size);
void lapic_mmio_write(struct cpu *c, spa_t spa, unsigned size, uint64_t v);
bool lapic_set_base(struct cpu *c, uint64_t val, bool host); /* IA32_APIC_BASE */

/* lapic.c: the run loop's view (cpu/core/run.c) */
bool lapic_boundary_events(struct cpu *c); /* INIT/SIPI; true if the CPU state changed */
bool cpu_blocked(const struct cpu *c);      /* halted or waiting for SIPI */
bool cpu_wake_pending(struct cpu *c);       /* a blocked CPU would run now */
bool cpu_intr_pending(struct cpu *c);       /* INTR line as the CPU sees it */
int cpu_intr_ack(struct cpu *c);
#endif
