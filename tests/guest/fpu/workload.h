/* Ordinary C compiled at -O3 with SSE2 (auto-vectorized loops, double
 * math): shared with the host program that produced the expected values. */
#ifndef GUEST_FPU_WORKLOAD_H
#define GUEST_FPU_WORKLOAD_H
#include <stdint.h>

static inline void wl_matmul(const double *a, const double *b, double *c, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			double s = 0;
			for (int k = 0; k < n; k++)
				s += a[i * n + k] * b[k * n + j];
			c[i * n + j] = s;
		}
}

static inline void wl_sort(double *v, int n)
{
	for (int i = 1; i < n; i++) {
		double x = v[i];
		int j = i - 1;
		while (j >= 0 && v[j] > x) {
			v[j + 1] = v[j];
			j--;
		}
		v[j + 1] = x;
	}
}

static inline uint32_t wl_vecsum(const uint32_t *v, int n)
{
	uint32_t s = 0;
	for (int i = 0; i < n; i++)
		s += v[i] * 3u + (v[i] >> 2);
	return s;
}

static inline uint64_t wl_hash(const double *v, int n)
{
	uint64_t h = 1469598103934665603ull;
	for (int i = 0; i < n; i++) {
		union { double d; uint64_t u; } x = { v[i] };
		h = (h ^ x.u) * 1099511628211ull;
	}
	return h;
}

static inline void wl_fill(double *a, double *b, uint32_t *u, int n)
{
	for (int i = 0; i < n * n; i++) {
		a[i] = (double)(i % 7) / 3.0 - 1.0;
		b[i] = (double)((i * 5) % 11) * 0.125 + 0.5;
	}
	for (int i = 0; i < 256; i++)
		u[i] = (uint32_t)i * 2654435761u;
}
#endif
