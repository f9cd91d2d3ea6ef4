/* SPDX-License-Identifier: MIT */
/* Minimal unit-test harness: TAP-style lines, counted by tests/run-tests.sh. */
#ifndef PAC_TEST_H
#define PAC_TEST_H
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int t_failed, t_passed;

#define CHECK(cond, ...)                                                         \
	do {                                                                     \
		if (cond) {                                                      \
			t_passed++;                                              \
		} else {                                                         \
			t_failed++;                                              \
			printf("not ok - %s:%d: ", __FILE__, __LINE__);          \
			printf(__VA_ARGS__);                                     \
			printf("\n");                                            \
		}                                                                \
	} while (0)

#define CHECK_EQ(a, b, name)                                                     \
	CHECK((uint64_t)(a) == (uint64_t)(b), "%s: got %#" PRIx64 ", want %#" PRIx64, \
	      name, (uint64_t)(a), (uint64_t)(b))

/* One summary line per test program: "ok - prog (N checks)" or failures. */
static inline int test_done(const char *prog)
{
	if (t_failed)
		printf("not ok - %s (%d of %d checks failed)\n", prog, t_failed, t_failed + t_passed);
	else
		printf("ok - %s (%d checks)\n", prog, t_passed);
	return t_failed ? 1 : 0;
}
#endif
