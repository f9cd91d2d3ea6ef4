/* SPDX-License-Identifier: MIT */
/* -d categories. Hooks are installed only when a category needs them, so a
 * run without -d pays nothing for tracing. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "trace.h"

static const char *const exc_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#09", "#TS", "#NP",
	"#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
	"#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31"
};

int trace_open(struct trace *t, const struct options *o)
{
	memset(t, 0, sizeof *t);
	t->mask = o->dmask;
	t->log = stderr;
	if (o->dlog) {
		t->log = fopen(o->dlog, "w");
		if (!t->log) {
			fprintf(stderr, "pacifica: -D: cannot open '%s': %s\n", o->dlog, strerror(errno));
			return -1;
		}
		t->owned = true;
	}
	return 0;
}

static int rip_width(int mode_bits)
{
	return mode_bits == 64 ? 16 : mode_bits == 32 ? 8 : 4;
}

static void print_regs(struct trace *t, int cpu, const struct pac_regs *r)
{
	static const char *const n[16] = { "RAX", "RCX", "RDX", "RBX", "RSP", "RBP", "RSI", "RDI",
					   "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15" };
	for (int i = 0; i < 16; i += 4)
		fprintf(t->log, "cpu%d %-3s=%016" PRIx64 " %-3s=%016" PRIx64 " %-3s=%016" PRIx64
			" %-3s=%016" PRIx64 "\n", cpu, n[i], r->gpr[i], n[i + 1], r->gpr[i + 1],
			n[i + 2], r->gpr[i + 2], n[i + 3], r->gpr[i + 3]);
	fprintf(t->log, "cpu%d RIP=%016" PRIx64 " RFL=%08" PRIx64 " CS=%04x SS=%04x DS=%04x "
		"CR0=%08" PRIx64 " CR3=%" PRIx64 " CR4=%" PRIx64 " EFER=%" PRIx64 " CPL=%u\n",
		cpu, r->rip, r->rflags, r->seg[PAC_CS].sel, r->seg[PAC_SS].sel, r->seg[PAC_DS].sel,
		r->cr0, r->cr3, r->cr4, r->efer, r->cpl);
}

static void on_insn(void *ctx, int cpu, uint64_t cs_base, uint64_t rip, const uint8_t *bytes,
		    unsigned len, int mode_bits)
{
	struct trace *t = ctx;
	struct pac_regs r;
	pac_get_regs(t->m, cpu, &r);
	if (t->mask & D_CPU)
		print_regs(t, cpu, &r);
	if (!(t->mask & (D_INSN | D_EXEC)))
		return;
	fprintf(t->log, "cpu%d %04x:%0*" PRIx64, cpu, r.seg[PAC_CS].sel, rip_width(mode_bits), rip);
	if (!(t->mask & D_INSN)) {
		fputc('\n', t->log);
		return;
	}
	char hex[3 * 15 + 1] = "", text[128];
	for (unsigned i = 0; i < len && i < 15; i++)
		snprintf(hex + 3 * i, 4, "%02x ", bytes[i]);
	if (pac_disasm_at(bytes, len, mode_bits, rip, text, sizeof text) <= 0)
		snprintf(text, sizeof text, "(bad)");
	fprintf(t->log, "  %-30s %s\n", hex, text);
	(void)cs_base;
}

static void on_event(void *ctx, int cpu, int vector, bool is_interrupt, bool has_err, uint32_t err,
		     uint64_t rip)
{
	struct trace *t = ctx;
	if (is_interrupt)
		fprintf(t->log, "cpu%d interrupt 0x%02x at RIP=%#" PRIx64 "\n", cpu, vector, rip);
	else if (has_err)
		fprintf(t->log, "cpu%d exception %d %s error=%#x at RIP=%#" PRIx64 "\n", cpu, vector,
			exc_names[vector & 31], err, rip);
	else
		fprintf(t->log, "cpu%d exception %d %s at RIP=%#" PRIx64 "\n", cpu, vector,
			exc_names[vector & 31], rip);
}

void trace_attach(struct trace *t, pac_machine *m)
{
	t->m = m;
	memset(&t->hooks, 0, sizeof t->hooks);
	if (t->mask & (D_INSN | D_EXEC | D_CPU))
		t->hooks.insn = on_insn;
	if (t->mask & D_INT)
		t->hooks.event = on_event;
	if (t->hooks.insn || t->hooks.event)
		pac_set_hooks(m, &t->hooks, t);
}

void trace_library_log(void *ctx, const char *cat, const char *msg)
{
	struct trace *t = ctx;
	bool show = !strcmp(cat, "UNIMP") ||
		    ((t->mask & D_GUEST_ERRORS) && !strcmp(cat, "GUEST_ERR")) ||
		    ((t->mask & D_MMU) && !strcmp(cat, "MMU")) ||
		    ((t->mask & D_INT) && !strcmp(cat, "INT"));
	if (show)
		fprintf(t->log, "%s: %s\n", cat, msg);
}

void trace_print_stats(struct trace *t, pac_machine *m)
{
	if (!(t->mask & D_STATS))
		return;
	for (unsigned c = 0; c < pac_ncpus(m); c++) {
		struct pac_stats s;
		pac_get_stats(m, (int)c, &s);
		fprintf(t->log, "stats cpu%u: instructions %" PRIu64 ", cycles %" PRIu64
			", tlb-misses %" PRIu64 ", walk-refs %" PRIu64 ", interrupts %" PRIu64 "\n",
			c, s.insns, s.cycles, s.tlb_misses, s.walk_refs, s.interrupts);
		fprintf(t->log, "stats cpu%u: exceptions", c);
		uint64_t total = 0;
		for (int v = 0; v < 32; v++)
			if (s.exceptions[v]) {
				fprintf(t->log, " %s(%d)=%" PRIu64, exc_names[v], v, s.exceptions[v]);
				total += s.exceptions[v];
			}
		fprintf(t->log, total ? "\n" : " none\n");
	}
}

void trace_close(struct trace *t)
{
	fflush(t->log);
	if (t->owned)
		fclose(t->log);
	t->log = stderr;
	t->owned = false;
}
