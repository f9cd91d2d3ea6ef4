/* SPDX-License-Identifier: MIT */
/* The embedding API: machine creation, memory map, ports, register state. */
#include <stdlib.h>
#include "cpu.h"
#include "../cpuid/cpuid.h"
#include "../decode/icache.h"
#include "../mmu/mmu.h"
#include "../apic/lapic.h"

const char *pac_strerror(int err)
{
	switch (err) {
	case PAC_OK: return "success";
	case PAC_ERR_NOMEM: return "out of memory";
	case PAC_ERR_INVAL: return "invalid argument";
	case PAC_ERR_OVERLAP: return "region overlaps an existing region";
	case PAC_ERR_RANGE: return "address or index out of range";
	case PAC_ERR_MSR: return "MSR does not exist or value is invalid";
	case PAC_ERR_UNUSABLE: return "machine is unusable after an internal error";
	default: return "unknown error";
	}
}

const char *pac_exit_name(enum pac_exit_reason r)
{
	static const char *const names[] = { "none", "hlt", "limit", "shutdown", "breakpoint",
					     "unimplemented", "internal-error", "stop" };
	return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "?";
}

pac_machine *pac_create(const struct pac_config *cfg, int *err)
{
	int e = PAC_ERR_INVAL;
	struct pac_machine *m = NULL;
	unsigned n = cfg && cfg->ncpus ? cfg->ncpus : 1;
	const struct cpuid_model *model = cpuid_find_model(cfg ? cfg->cpu_model : NULL);
	if (n > MAX_CPUS || !model)
		goto fail;
	e = PAC_ERR_NOMEM;
	m = calloc(1, sizeof *m);
	if (!m)
		goto fail;
	decode_init();
	m->ncpus = n;
	m->next_deadline = UINT64_MAX; /* no device timer armed */
	if (cfg && cfg->cpu_features && *cfg->cpu_features) {
		e = PAC_ERR_NOMEM;
		if (!(m->own_model = malloc(sizeof *m->own_model)))
			goto fail;
		*m->own_model = *model;
		e = PAC_ERR_INVAL;
		if (!cpuid_apply_features(&m->own_model->feats, cfg->cpu_features))
			goto fail;
		model = m->own_model;
		e = PAC_ERR_NOMEM;
	}
	if (cfg) {
		m->log = cfg->log;
		m->log_ctx = cfg->log_ctx;
		m->seed = cfg->seed;
	}
	for (unsigned i = 0; i < n; i++) {
		struct cpu *c = calloc(1, sizeof *c);
		if (!c)
			goto fail;
		m->cpus[i] = c;
		c->icache = calloc(1, sizeof *c->icache);
		if (!c->icache)
			goto fail;
		c->index = (int)i;
		c->m = m;
		c->model = model;
		c->rng_state = m->seed * 0x9e3779b97f4a7c15ull + i + 1;
		cpu_reset(c, false);
		if (lapic_create(c) != PAC_OK)
			goto fail;
	}
	if (err)
		*err = PAC_OK;
	return m;
fail:
	pac_destroy(m);
	if (err)
		*err = e;
	return NULL;
}

void pac_destroy(pac_machine *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < MAX_CPUS; i++) {
		if (m->cpus[i]) {
			free(m->cpus[i]->icache);
			lapic_free(m->cpus[i]);
		}
		free(m->cpus[i]);
	}
	for (unsigned i = 0; i < m->nregions; i++)
		if (m->regions[i].owned)
			free(m->regions[i].hva);
	free(m->own_model);
	free(m);
}

unsigned pac_ncpus(const pac_machine *m) { return m->ncpus; }

static int add_region(struct pac_machine *m, struct region r)
{
	if (!r.size || r.base + r.size - 1 < r.base)
		return PAC_ERR_INVAL;
	if (m->nregions >= MAX_REGIONS)
		return PAC_ERR_RANGE;
	for (unsigned i = 0; i < m->nregions; i++) {
		const struct region *o = &m->regions[i];
		if (r.base <= o->base + o->size - 1 && o->base <= r.base + r.size - 1)
			return PAC_ERR_OVERLAP;
	}
	m->regions[m->nregions++] = r;
	for (unsigned i = 0; i < m->ncpus; i++)
		tlb_flush_all(m->cpus[i]);
	return PAC_OK;
}

static int map_mem(pac_machine *m, uint64_t spa, uint64_t size, void *hva, bool rom)
{
	struct region r = { .base = spa, .size = size, .hva = hva, .rom = rom };
	if (!hva) {
		r.hva = calloc(1, size);
		if (!r.hva)
			return PAC_ERR_NOMEM;
		r.owned = true;
	}
	int e = add_region(m, r);
	if (e && r.owned)
		free(r.hva);
	return e;
}

int pac_map_ram(pac_machine *m, uint64_t spa, uint64_t size, void *hva) { return map_mem(m, spa, size, hva, false); }
int pac_map_rom(pac_machine *m, uint64_t spa, uint64_t size, void *hva) { return map_mem(m, spa, size, hva, true); }

int pac_map_mmio(pac_machine *m, uint64_t spa, uint64_t size, const struct pac_mmio_ops *ops, void *ctx)
{
	if (!ops)
		return PAC_ERR_INVAL;
	return add_region(m, (struct region){ .base = spa, .size = size, .ops = ops, .ctx = ctx });
}

void *pac_phys_ptr(pac_machine *m, uint64_t spa, uint64_t len)
{
	struct region *r = phys_region(m, spa);
	if (!r || !r->hva || len > r->size - (spa - r->base))
		return NULL;
	return r->hva + (spa - r->base);
}

int pac_phys_read(pac_machine *m, uint64_t spa, void *buf, size_t len)
{
	uint8_t *b = buf;
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)phys_read(m, spa + i, 1, PAC_MT_WB);
	return PAC_OK;
}

int pac_phys_write(pac_machine *m, uint64_t spa, const void *buf, size_t len)
{
	const uint8_t *b = buf;
	void *p = pac_phys_ptr(m, spa, len);
	if (p) {
		memcpy(p, buf, len);
		return PAC_OK;
	}
	for (size_t i = 0; i < len; i++)
		phys_write(m, spa + i, 1, b[i], PAC_MT_WB);
	return PAC_OK;
}

int pac_register_ports(pac_machine *m, uint16_t base, unsigned count,
		       const struct pac_port_ops *ops, void *ctx)
{
	if (!ops || !count || base + count > 0x10000u)
		return PAC_ERR_INVAL;
	if (m->nports >= MAX_PORTRANGES)
		return PAC_ERR_RANGE;
	for (unsigned i = 0; i < m->nports; i++) {
		const struct portrange *p = &m->ports[i];
		if (base < p->base + p->count && p->base < base + count)
			return PAC_ERR_OVERLAP;
	}
	m->ports[m->nports++] = (struct portrange){ base, count, ops, ctx };
	return PAC_OK;
}

void pac_set_intc(pac_machine *m, const struct pac_intc_ops *ops, void *ctx)
{
	m->intc = ops;
	m->intc_ctx = ctx;
}

void pac_raise_nmi(pac_machine *m, int cpu)
{
	if (cpu >= 0 && (unsigned)cpu < m->ncpus)
		m->cpus[cpu]->nmi_pending = true;
}

void pac_request_stop(pac_machine *m, int code)
{
	m->stop_requested = true;
	m->stop_code = code;
}

void pac_get_stats(pac_machine *m, int cpu, struct pac_stats *s)
{
	memset(s, 0, sizeof *s);
	if (cpu < 0 || (unsigned)cpu >= m->ncpus)
		return;
	*s = m->cpus[cpu]->stats;
	s->cycles = m->cpus[cpu]->cycles;
}

void pac_set_hooks(pac_machine *m, const struct pac_hooks *h, void *ctx)
{
	m->hooks = h;
	m->hooks_ctx = ctx;
}
