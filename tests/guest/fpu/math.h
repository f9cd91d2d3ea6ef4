/* Floating-point work compiled with -O2 (SSE2 for double, x87 for long
 * double); shared with the host program that produced the expected bits. */
#ifndef GUEST_FPU_MATH_H
#define GUEST_FPU_MATH_H

static inline double fp_series(int n)
{
	double s = 0;
	for (int i = 1; i <= n; i++)
		s += 1.0 / ((double)i * i);
	return s;
}

static inline double fp_poly(double x)
{
	double r = 0;
	static const double c[] = { 1.0, -0.5, 0.041666666666666664, -0.001388888888888889,
				    2.48015873015873e-05 };
	for (int i = 4; i >= 0; i--)
		r = r * x * x + c[i];
	return r;
}

static inline long fp_convert(double d)
{
	float f = (float)(d * 3.0);
	return (long)(f * 1000.0f) + (long)(-d * 7.5);
}

static inline long double fp_x87(int n)
{
	long double p = 1;
	for (int i = 1; i <= n; i++)
		p = p * 1.0001L + (long double)i / 3;
	return p;
}
#endif
