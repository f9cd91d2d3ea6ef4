/* SPDX-License-Identifier: MIT */
/* RFLAGS.RF: cleared when an instruction completes, except that IRET loads
 * it from the stack and it survives until the next instruction completes
 * (APM 13.1.3.6). */
#include "segtest.h"

int main(void)
{
	struct pac_regs r;
	pac_machine *m = st_prot32(&r);
	/* push 0x10002 (RF); push cs; push target; iretd; target: nop; hlt */
	static const uint8_t code[] = { 0x68, 0x02, 0x00, 0x01, 0x00, 0x0e, 0x68, 0x0d, 0x00, 0x01,
					0x00, 0xcf, 0x90, 0x90, 0xf4 };
	struct pac_exit ex;
	pac_phys_write(m, ST_CODE, code, sizeof code);
	pac_set_regs(m, 0, &r);
	pac_run(m, 4, &ex); /* push, push, push, iretd */
	pac_get_regs(m, 0, &r);
	CHECK_EQ(r.rip, ST_CODE + 0xd, "IRETD target");
	CHECK((r.rflags & 0x10000) != 0, "RF set by IRETD is still set before the next instruction");
	pac_run(m, 1, &ex); /* nop */
	pac_get_regs(m, 0, &r);
	CHECK((r.rflags & 0x10000) == 0, "RF cleared when the next instruction completed");
	pac_destroy(m);
	return test_done("core_rf");
}
