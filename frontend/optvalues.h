/* SPDX-License-Identifier: MIT */
/* Parsers for option values; each prints a one-line error and returns -1. */
#ifndef PAC_FRONTEND_OPTVALUES_H
#define PAC_FRONTEND_OPTVALUES_H
#include "options.h"

int opt_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int parse_u64(const char *s, uint64_t *v); /* decimal or 0x hex, whole string; 0 on success */
int parse_mem_size(const char *s, uint64_t *bytes);
int parse_smp(const char *s, unsigned *n);
int parse_sink(const char *opt, const char *s, struct sink_spec *sp);
int parse_device(const char *s, struct options *o);
int parse_dmask(const char *s, unsigned *mask);
int parse_cpu(const char *s, struct options *o);
int parse_count(const char *opt, const char *s, uint64_t *v);
int parse_rtc(const char *s, struct options *o); /* rtcopt.c */
#endif
