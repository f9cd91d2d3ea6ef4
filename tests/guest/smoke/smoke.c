/* Runtime self-test: printing, exception capture and resume, the test table. */
#include "rt.h"

static void run_ud(struct gres *r) { __asm__ volatile("ud2"); }
static bool check_ud(const struct gres *r) { return r->faulted && r->exc.vector == 6; }
static void run_nothing(struct gres *r) { r->v[0] = 42; }
static bool check_nothing(const struct gres *r) { return !r->faulted && r->v[0] == 42; }

static const struct gtest tests[] = {
	{ "runtime: ud2 captured as #UD", 0, run_ud, check_ud, 0 },
	{ "runtime: plain test runs", 0, run_nothing, check_nothing, 0 },
};

int main(void)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%d %x %#lx %5u|%s", -12, 0xbeef, 0x10ul, 7u, "ab");
	report("runtime: snprintf", strcmp(buf, "-12 beef 0x10     7|ab") == 0);
	int v = TRY(__asm__ volatile("ud2"));
	report("runtime: TRY catches #UD", v == 6);
	v = TRY(__asm__ volatile("nop"));
	report("runtime: TRY without fault", v == -1);
	run_gtests(tests, ARRAY_SIZE(tests));
	return 0;
}
