/* SPDX-License-Identifier: MIT */
/* Pacifica embedding API: one machine (RAM, ROM, MMIO, ports, CPUs) driven by
 * the CPU library libpaccpu.a. Library code never prints or exits; every
 * fallible call returns a pac_err. See docs/api.md. */
#ifndef PACIFICA_PACIFICA_H
#define PACIFICA_PACIFICA_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pacifica/regs.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pac_machine pac_machine;

enum pac_err {
	PAC_OK = 0,
	PAC_ERR_NOMEM = -1,
	PAC_ERR_INVAL = -2,   /* bad argument */
	PAC_ERR_OVERLAP = -3, /* region overlaps an existing one */
	PAC_ERR_RANGE = -4,   /* address or index out of range */
	PAC_ERR_MSR = -5,     /* MSR does not exist or value rejected (#GP) */
	PAC_ERR_UNUSABLE = -6 /* machine hit an internal error earlier */
};
const char *pac_strerror(int err);

enum pac_exit_reason {
	PAC_EXIT_NONE = 0,
	PAC_EXIT_HLT,           /* HLT with interrupts that cannot wake it */
	PAC_EXIT_LIMIT,         /* instruction budget used up */
	PAC_EXIT_SHUTDOWN,      /* triple fault or shutdown condition */
	PAC_EXIT_BREAKPOINT,    /* debugger breakpoint reached */
	PAC_EXIT_UNIMPLEMENTED, /* guest used something Pacifica does not model */
	PAC_EXIT_INTERNAL_ERROR,
	PAC_EXIT_STOP           /* pac_request_stop() from a device or hook */
};
const char *pac_exit_name(enum pac_exit_reason r);

struct pac_exit {
	enum pac_exit_reason reason;
	int cpu;
	uint64_t rip;      /* RIP of the instruction concerned */
	uint64_t icount;   /* instructions retired by that CPU */
	int stop_code;     /* PAC_EXIT_STOP: value given to pac_request_stop */
	char detail[160];  /* human-readable explanation, NUL-terminated */
};

/* Log sink: the library calls this instead of printing. cat is one of
 * "GUEST_ERR", "UNIMP", "MMU", "INT", ... msg has no trailing newline. */
typedef void (*pac_log_fn)(void *ctx, const char *cat, const char *msg);

struct pac_config {
	unsigned ncpus;         /* 1 .. 64; 0 means 1 */
	const char *cpu_model;  /* NULL or "" = default model; see pac_cpu_models */
	const char *cpu_features; /* NULL or "+feat,-feat,feat=on|off" (pac_cpu_features) */
	uint64_t seed;          /* RDRAND/RDSEED seed */
	pac_log_fn log;
	void *log_ctx;
};

pac_machine *pac_create(const struct pac_config *cfg, int *err);
void pac_destroy(pac_machine *m);
unsigned pac_ncpus(const pac_machine *m);

/* Memory map. RAM/ROM with hva == NULL are allocated (zeroed) by the library. */
int pac_map_ram(pac_machine *m, uint64_t spa, uint64_t size, void *hva);
int pac_map_rom(pac_machine *m, uint64_t spa, uint64_t size, void *hva);
/* Host pointer to [spa, spa+len) if it lies entirely in one RAM/ROM region. */
void *pac_phys_ptr(pac_machine *m, uint64_t spa, uint64_t len);
int pac_phys_read(pac_machine *m, uint64_t spa, void *buf, size_t len);
int pac_phys_write(pac_machine *m, uint64_t spa, const void *buf, size_t len);

/* MMIO callbacks receive the offset in the region and the effective memory
 * type (enum pac_memtype) of the access. size is 1, 2, 4 or 8. */
enum pac_memtype {
	PAC_MT_UC = 0, PAC_MT_WC = 1, PAC_MT_WT = 4, PAC_MT_WP = 5, PAC_MT_WB = 6,
	PAC_MT_UCM = 7,  /* UC- */
	PAC_MT_CD = 8,   /* AMD "CD": uncacheable, hits invalidated (APM Table 7-11) */
	PAC_MT_WCP = 9   /* WC+ (APM 15.25.8) */
};
struct pac_mmio_ops {
	uint64_t (*read)(void *ctx, uint64_t off, unsigned size, unsigned memtype);
	void (*write)(void *ctx, uint64_t off, unsigned size, uint64_t val, unsigned memtype);
};
int pac_map_mmio(pac_machine *m, uint64_t spa, uint64_t size,
		 const struct pac_mmio_ops *ops, void *ctx);

/* I/O ports. Ports nobody claims read all ones and ignore writes. */
struct pac_port_ops {
	uint32_t (*in)(void *ctx, uint16_t port, unsigned size);
	void (*out)(void *ctx, uint16_t port, unsigned size, uint32_t val);
};
int pac_register_ports(pac_machine *m, uint16_t base, unsigned count,
		       const struct pac_port_ops *ops, void *ctx);

/* Interrupt controller seen by a CPU (the PIC/APIC live outside libpaccpu). */
struct pac_intc_ops {
	bool (*pending)(void *ctx, int cpu);   /* INTR line asserted? */
	int (*acknowledge)(void *ctx, int cpu);/* INTA: returns the vector */
};
void pac_set_intc(pac_machine *m, const struct pac_intc_ops *ops, void *ctx);
void pac_raise_nmi(pac_machine *m, int cpu);

/* The APIC bus: every CPU has a local APIC (xAPIC/x2APIC, cpu/apic/). An
 * I/O APIC or MSI source sends interrupt messages with pac_apic_send; the
 * CPUs' INTR line (pac_set_intc, the 8259) reaches a CPU through LINT0 in
 * ExtINT mode (CPU 0's reset state) or directly while its APIC is disabled.
 * See docs/platform.md, "Local APIC". */
enum pac_apic_delivery {
	PAC_APIC_FIXED = 0, PAC_APIC_LOWEST = 1, PAC_APIC_SMI = 2, PAC_APIC_NMI = 4,
	PAC_APIC_INIT = 5, PAC_APIC_EXTINT = 7
};
struct pac_apic_msg {
	uint32_t dest;     /* 8-bit xAPIC destination (0xFF: broadcast) */
	bool logical;      /* logical (LDR/DFR) instead of physical (APIC ID) */
	uint8_t delivery;  /* enum pac_apic_delivery */
	uint8_t vector;
	bool level;        /* level-triggered: the EOI is broadcast back */
};
void pac_apic_send(pac_machine *m, const struct pac_apic_msg *msg);
/* Called with the vector when a CPU EOIs a level-triggered interrupt. */
typedef void (*pac_apic_eoi_fn)(void *ctx, uint8_t vector);
void pac_apic_set_eoi_listener(pac_machine *m, pac_apic_eoi_fn fn, void *ctx);

/* Virtual time (DESIGN rule 9): nanoseconds derived from retired
 * instructions and the cycle cost model; the nominal clock is 1 GHz, so one
 * cycle is one nanosecond and the TSC counts cycles. Devices schedule
 * callbacks on it; they run at instruction boundaries inside pac_run. */
#define PAC_TSC_HZ 1000000000ull
typedef void (*pac_timer_fn)(void *ctx, uint64_t now_ns);
uint64_t pac_time_ns(const pac_machine *m);
/* Returns a timer id (>= 0) or a negative pac_err. */
int pac_timer_create(pac_machine *m, pac_timer_fn fn, void *ctx);
/* Arms the timer to fire once when virtual time reaches deadline_ns. */
void pac_timer_arm(pac_machine *m, int id, uint64_t deadline_ns);
void pac_timer_cancel(pac_machine *m, int id);

/* Register state. Setting state recomputes the CPU mode and flushes the TLB. */
int pac_get_regs(pac_machine *m, int cpu, struct pac_regs *r);
int pac_set_regs(pac_machine *m, int cpu, const struct pac_regs *r);
int pac_get_fpu(pac_machine *m, int cpu, struct pac_fpu_state *f);
int pac_set_fpu(pac_machine *m, int cpu, const struct pac_fpu_state *f);
/* Host-initiated MSR access (no #GP: returns PAC_ERR_MSR instead). */
int pac_get_msr(pac_machine *m, int cpu, uint32_t index, uint64_t *val);
int pac_set_msr(pac_machine *m, int cpu, uint32_t index, uint64_t val);

/* Run all CPUs until max_insns instructions retired in total or an exit. */
int pac_run(pac_machine *m, uint64_t max_insns, struct pac_exit *ex);
/* Callable from device callbacks and hooks: ends pac_run with PAC_EXIT_STOP. */
void pac_request_stop(pac_machine *m, int code);

struct pac_stats {
	uint64_t insns, cycles, tlb_misses, walk_refs, exceptions[32];
	uint64_t interrupts;
};
void pac_get_stats(pac_machine *m, int cpu, struct pac_stats *s);

/* Observation hooks (all optional). Called at instruction boundaries or on
 * events; they must not call pac_run. See docs/api.md. */
struct pac_hooks {
	/* before an instruction executes (after decode) */
	void (*insn)(void *ctx, int cpu, uint64_t cs_base, uint64_t rip,
		     const uint8_t *bytes, unsigned len, int mode_bits);
	/* an exception (vector < 32, kind fault/trap) or interrupt being delivered */
	void (*event)(void *ctx, int cpu, int vector, bool is_interrupt, bool has_err,
		      uint32_t err, uint64_t rip);
};
void pac_set_hooks(pac_machine *m, const struct pac_hooks *h, void *ctx);

/* CPU models: NULL-terminated list of names usable in pac_config.cpu_model. */
const char *const *pac_cpu_models(void);
/* CPU feature names (QEMU spelling) usable in pac_config.cpu_features. */
const char *const *pac_cpu_features(void);

/* Disassemble one instruction at bytes (len available) in the given mode
 * (16, 32 or 64). Returns the instruction length, or 0 if undecodable. */
int pac_disasm(const uint8_t *bytes, size_t len, int mode, char *out, size_t outlen);
/* Same, with the instruction's address so relative targets print absolute. */
int pac_disasm_at(const uint8_t *bytes, size_t len, int mode, uint64_t rip, char *out,
		  size_t outlen);

#ifdef __cplusplus
}
#endif
#endif
