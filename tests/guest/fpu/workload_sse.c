/* Compiler-generated SSE2 code at -O3 (auto-vectorized integer loop,
 * double matrix multiply, sort), checked bit-exactly against the values the
 * same source produced on the host (workload.h). */
#pragma GCC optimize("O3")
#include "rt.h"
#include "workload.h"

void workload_tests(void)
{
	static double a[64], b[64], c[64];
	static uint32_t u[256];
	wl_fill(a, b, u, 8);
	wl_matmul(a, b, c, 8);
	report("sse2: -O3 8x8 double matrix multiply is bit-exact", wl_hash(c, 64) == 0xdff808d001606659ull);
	wl_sort(c, 64);
	report("sse2: -O3 insertion sort of doubles", wl_hash(c, 64) == 0x74ee046bd1f0079bull);
	report("sse2: -O3 vectorized integer loop", wl_vecsum(u, 256) == 0xcb99e000u);
}
