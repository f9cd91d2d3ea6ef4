/* SPDX-License-Identifier: MIT */
/* Helpers for the platform device tests (test_pic.c, test_pit.c, ...):
 * a real-mode code emitter for IN/OUT snippets, a scheduler that performs
 * port accesses at exact virtual times while the CPU idles in HLT, and an
 * irq-bus sink that records the time of every edge of a line. */
#ifndef PAC_PLATFORM_HELPERS_H
#define PAC_PLATFORM_HELPERS_H
#include <stdint.h>
#include "machine_helpers.h"
#include "../../iodev/irq.h"

/* ---- real-mode code emitter ---- */
struct rcode {
	uint8_t b[1024];
	unsigned n;
};
static inline void rc_bytes(struct rcode *c, const void *p, unsigned n)
{
	if (c->n + n <= sizeof c->b) {
		memcpy(c->b + c->n, p, n);
		c->n += n;
	}
}
#define RC(c, ...) do { const uint8_t b_[] = { __VA_ARGS__ }; rc_bytes(c, b_, sizeof b_); } while (0)
/* mov dx, port; mov al, val; out dx, al */
static inline void rc_out8(struct rcode *c, uint16_t port, uint8_t v)
{
	RC(c, 0xba, (uint8_t)port, (uint8_t)(port >> 8), 0xb0, v, 0xee);
}
/* mov dx, port; in al, dx; mov [addr], al */
static inline void rc_in8(struct rcode *c, uint16_t port, uint16_t addr)
{
	RC(c, 0xba, (uint8_t)port, (uint8_t)(port >> 8), 0xec, 0xa2, (uint8_t)addr, (uint8_t)(addr >> 8));
}
/* mov dx, port; in eax, dx; mov [addr], eax */
static inline void rc_in32(struct rcode *c, uint16_t port, uint16_t addr)
{
	RC(c, 0xba, (uint8_t)port, (uint8_t)(port >> 8), 0x66, 0xed, 0x66, 0xa3, (uint8_t)addr,
	   (uint8_t)(addr >> 8));
}
/* mov dx, port; mov eax, v; out dx, eax */
static inline void rc_out32(struct rcode *c, uint16_t port, uint32_t v)
{
	RC(c, 0xba, (uint8_t)port, (uint8_t)(port >> 8), 0x66, 0xb8, (uint8_t)v, (uint8_t)(v >> 8),
	   (uint8_t)(v >> 16), (uint8_t)(v >> 24), 0x66, 0xef);
}
/* mov dx, port; mov ax, v; out dx, ax */
static inline void rc_out16(struct rcode *c, uint16_t port, uint16_t v)
{
	RC(c, 0xba, (uint8_t)port, (uint8_t)(port >> 8), 0xb8, (uint8_t)v, (uint8_t)(v >> 8), 0xef);
}
static inline void rc_halt(struct rcode *c) { RC(c, 0xfa, 0xf4); }

/* Runs the snippet at 0:0x7c00 in real mode; returns the exit reason. */
static inline enum pac_exit_reason rc_run(pac_machine *m, struct rcode *c, uint64_t budget)
{
	struct pac_regs r;
	struct pac_exit ex;
	tm_real(m, &r, 0x7c00);
	r.rflags = 2;
	pac_phys_write(m, 0x7c00, c->b, c->n);
	pac_set_regs(m, 0, &r);
	pac_run(m, budget, &ex);
	return ex.reason;
}

static inline uint8_t rd8(pac_machine *m, uint64_t a) { uint8_t v = 0; pac_phys_read(m, a, &v, 1); return v; }
static inline uint32_t rd32(pac_machine *m, uint64_t a) { uint32_t v = 0; pac_phys_read(m, a, &v, 4); return v; }

/* ---- actions at exact virtual times ----
 * The CPU sits in "sti; hlt; jmp" (interrupts go nowhere: the test's intc
 * never asserts), so each timer fires exactly at its deadline. */
struct sched {
	pac_machine *m;
	int timer;
	const uint64_t *times;
	unsigned n, next;
	void (*fn)(void *ctx, unsigned i, uint64_t now);
	void *ctx;
};
static inline void sched_fire(void *p, uint64_t now)
{
	struct sched *s = p;
	unsigned i = s->next++;
	s->fn(s->ctx, i, now);
	if (s->next < s->n)
		pac_timer_arm(s->m, s->timer, s->times[s->next]);
}
static inline bool sched_never(void *ctx, int cpu) { (void)ctx; (void)cpu; return false; }
static inline int sched_noack(void *ctx, int cpu) { (void)ctx; (void)cpu; return -1; }
static const struct pac_intc_ops sched_intc = { sched_never, sched_noack };

/* Calls fn(ctx, i, now) at times[i] (ascending) for every i. */
static inline void sched_run(pac_machine *m, const uint64_t *times, unsigned n,
			     void (*fn)(void *, unsigned, uint64_t), void *ctx)
{
	static const uint8_t idle_loop[] = { 0xfb, 0xf4, 0xeb, 0xfd };
	struct sched s = { m, -1, times, n, 0, fn, ctx };
	struct rcode c = { .n = 0 };
	s.timer = pac_timer_create(m, sched_fire, &s);
	pac_set_intc(m, &sched_intc, NULL);
	pac_timer_arm(m, s.timer, times[0]);
	rc_bytes(&c, idle_loop, sizeof idle_loop);
	for (int guard = 0; guard < 100 && s.next < n; guard++)
		rc_run(m, &c, 1000000);
	pac_timer_cancel(m, s.timer);
}

/* ---- irq edge recorder ---- */
struct edge_log {
	pac_machine *m;
	unsigned line, n, falls;
	uint64_t t[256];
};
static inline void edge_sink(void *ctx, unsigned line, bool level)
{
	struct edge_log *e = ctx;
	if (line != e->line)
		return;
	if (!level) {
		e->falls++;
		return;
	}
	if (e->n < 256)
		e->t[e->n] = pac_time_ns(e->m);
	e->n++;
}
#endif
