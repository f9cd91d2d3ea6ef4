/* SPDX-License-Identifier: MIT */
/* docs/api.md's example: embed libpaccpu, give the guest RAM and one I/O
 * port, run a 32-bit snippet that prints through the port, and read the
 * registers back. Built and run by `make check` (tests/unit/test_api_example). */
#include <stdio.h>
#include <string.h>
#include "pacifica/pacifica.h"

struct console {
	char text[64];
	size_t len;
};

static void con_out(void *ctx, uint16_t port, unsigned size, uint32_t val)
{
	struct console *con = ctx;
	(void)port;
	(void)size;
	if (con->len + 1 < sizeof con->text)
		con->text[con->len++] = (char)val;
}

static const struct pac_port_ops con_ops = { .out = con_out };

/* flat 32-bit protected mode, CPL 0, paging off */
static void flat32(struct pac_regs *r, uint64_t rip)
{
	static const struct pac_seg code = { .sel = 8, .attr = 0xc9b, .limit = 0xffffffff };
	static const struct pac_seg data = { .sel = 16, .attr = 0xc93, .limit = 0xffffffff };
	for (int i = 0; i < 6; i++)
		r->seg[i] = i == PAC_CS ? code : data;
	r->cr0 = 0x11; /* PE | ET */
	r->rip = rip;
	r->rflags = 2;
	r->gpr[PAC_RSP] = 0x8000;
}

int run_example(char *out, size_t outlen, uint64_t *eax)
{
	/* mov esi, msg; l: lodsb; test al, al; jz done; out 0xe9, al; jmp l; done: mov eax, 42; hlt */
	static const uint8_t code[] = { 0xbe, 0x20, 0x10, 0, 0, 0xac, 0x84, 0xc0, 0x74, 0x04, 0xe6,
					0xe9, 0xeb, 0xf7, 0xb8, 42, 0, 0, 0, 0xf4 };
	static const char msg[] = "hello from the guest";
	struct pac_config cfg = { .ncpus = 1, .cpu_model = "zen4", .seed = 1 };
	struct console con = { { 0 }, 0 };
	struct pac_regs r;
	struct pac_exit ex;
	int err;

	pac_machine *m = pac_create(&cfg, &err);
	if (!m)
		return err;
	if ((err = pac_map_ram(m, 0, 1 << 20, NULL)) != PAC_OK ||
	    (err = pac_register_ports(m, 0xe9, 1, &con_ops, &con)) != PAC_OK)
		goto done;
	pac_phys_write(m, 0x1000, code, sizeof code);
	pac_phys_write(m, 0x1020, msg, sizeof msg);
	pac_get_regs(m, 0, &r);
	flat32(&r, 0x1000);
	pac_set_regs(m, 0, &r);
	pac_run(m, 1000000, &ex); /* ends at HLT: interrupts are off */
	pac_get_regs(m, 0, &r);
	*eax = r.gpr[PAC_RAX];
	snprintf(out, outlen, "%s (exit: %s after %llu instructions)", con.text, pac_exit_name(ex.reason),
		 (unsigned long long)ex.icount);
	err = ex.reason == PAC_EXIT_HLT ? PAC_OK : PAC_ERR_INVAL;
done:
	pac_destroy(m);
	return err;
}

#ifndef PAC_EXAMPLE_NO_MAIN
int main(void)
{
	char text[160];
	uint64_t eax = 0;
	int err = run_example(text, sizeof text, &eax);
	if (err != PAC_OK) {
		fprintf(stderr, "example: %s\n", pac_strerror(err));
		return 1;
	}
	printf("%s, eax=%llu\n", text, (unsigned long long)eax);
	return 0;
}
#endif
