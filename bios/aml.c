/* SPDX-License-Identifier: MIT */
/* A few AML encodings (ACPI 6.4, chapter 20) for the DSDT: the only
 * object is \_S5 (soft-off: SLP_TYP 0 for PM1a and PM1b, as the PM1a
 * control block of iodev/pmtimer.c expects). */
#include <string.h>
#include "fwtables.h"

#define AML_NAME_OP 0x08
#define AML_PACKAGE_OP 0x12
#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_BYTE_PREFIX 0x0a
#define AML_ROOT_CHAR 0x5c

struct aml {
	uint8_t *p;
	size_t len, cap;
};

static void emit(struct aml *a, uint8_t b)
{
	if (a->len < a->cap)
		a->p[a->len] = b;
	a->len++;
}

/* PkgLength (20.2.4) for a body of n bytes following it (n < 4096 - 2). */
static void pkg_length(struct aml *a, size_t n)
{
	if (n + 1 < 64) {
		emit(a, (uint8_t)(n + 1));
	} else {
		size_t total = n + 2;
		emit(a, (uint8_t)(0x40 | (total & 15)));
		emit(a, (uint8_t)(total >> 4));
	}
}

static void integer(struct aml *a, uint8_t v)
{
	if (v == 0)
		emit(a, AML_ZERO_OP);
	else if (v == 1)
		emit(a, AML_ONE_OP);
	else {
		emit(a, AML_BYTE_PREFIX);
		emit(a, v);
	}
}

static size_t integer_len(uint8_t v) { return v <= 1 ? 1 : 2; }

/* Name(\XXXX, Package(n) { v... }) with byte values */
static void name_package(struct aml *a, const char seg[4], const uint8_t *v, unsigned n)
{
	size_t body = 1; /* NumElements */
	for (unsigned i = 0; i < n; i++)
		body += integer_len(v[i]);
	emit(a, AML_NAME_OP);
	emit(a, AML_ROOT_CHAR);
	for (int i = 0; i < 4; i++)
		emit(a, (uint8_t)seg[i]);
	emit(a, AML_PACKAGE_OP);
	pkg_length(a, body);
	emit(a, (uint8_t)n);
	for (unsigned i = 0; i < n; i++)
		integer(a, v[i]);
}

size_t aml_build_dsdt_body(uint8_t *out, size_t cap)
{
	static const uint8_t s5[4] = { 0, 0, 0, 0 }; /* PM1a/PM1b SLP_TYP, reserved */
	struct aml a = { out, 0, cap };
	name_package(&a, "_S5_", s5, 4);
	return a.len <= cap ? a.len : cap;
}
