/* SPDX-License-Identifier: MIT */
/* CPU feature names in QEMU's spelling and per-machine feature modifiers
 * (pac_config.cpu_features: "+svm,-x2apic,pcid=off"), as QEMU's
 * `-cpu MODEL,+feat,-feat` applies them. */
#include <stdlib.h>
#include "cpuid.h"
#include "../decode/insn.h"

static const char *const feat_names[FEAT_COUNT + 1] = {
	[FEAT_LM] = "lm", [FEAT_NX] = "nx", [FEAT_SYSCALL] = "syscall", [FEAT_SYSENTER] = "sep",
	[FEAT_CMOV] = "cmov", [FEAT_CX8] = "cx8", [FEAT_CX16] = "cx16", [FEAT_MMX] = "mmx",
	[FEAT_SSE] = "sse", [FEAT_SSE2] = "sse2", [FEAT_SSE3] = "pni", [FEAT_SSSE3] = "ssse3",
	[FEAT_SSE41] = "sse4.1", [FEAT_SSE42] = "sse4.2", [FEAT_POPCNT] = "popcnt",
	[FEAT_ABM] = "abm", [FEAT_BMI1] = "bmi1", [FEAT_BMI2] = "bmi2", [FEAT_ADX] = "adx",
	[FEAT_MOVBE] = "movbe", [FEAT_RDRAND] = "rdrand", [FEAT_RDSEED] = "rdseed",
	[FEAT_RDTSCP] = "rdtscp", [FEAT_XSAVE] = "xsave", [FEAT_XSAVEOPT] = "xsaveopt",
	[FEAT_CLFLUSH] = "clflush", [FEAT_CLFLUSHOPT] = "clflushopt", [FEAT_CLWB] = "clwb",
	[FEAT_MONITOR] = "monitor", [FEAT_INVPCID] = "invpcid", [FEAT_FSGSBASE] = "fsgsbase",
	[FEAT_SVM] = "svm", [FEAT_PCLMUL] = "pclmulqdq", [FEAT_AES] = "aes", [FEAT_SHA] = "sha-ni",
	[FEAT_RDPID] = "rdpid", [FEAT_LAHF64] = "lahf_lm", [FEAT_FXSR] = "fxsr", [FEAT_FPU] = "fpu",
	[FEAT_TSC] = "tsc", [FEAT_MSR] = "msr", [FEAT_PGE] = "pge", [FEAT_PCID] = "pcid",
	[FEAT_SMEP] = "smep", [FEAT_SMAP] = "smap", [FEAT_LA57] = "la57", [FEAT_PAT] = "pat",
	[FEAT_MTRR] = "mtrr", [FEAT_PSE] = "pse", [FEAT_PAE] = "pae", [FEAT_APIC] = "apic",
	[FEAT_X2APIC] = "x2apic", [FEAT_CLZERO] = "clzero", [FEAT_RDPRU] = "rdpru",
	[FEAT_MWAITX] = "mwaitx", [FEAT_SSE4A] = "sse4a", [FEAT_PDPE1GB] = "pdpe1gb",
	[FEAT_XSAVEC] = "xsavec", [FEAT_XGETBV1] = "xgetbv1", [FEAT_UMIP] = "umip",
	[FEAT_PKU] = "pku", [FEAT_TSC_DEADLINE] = "tsc-deadline",
};

/* names in FEAT order, NULL-terminated (for -cpu help) */
const char *const *pac_cpu_features(void)
{
	static const char *list[FEAT_COUNT + 1];
	if (!list[0]) {
		unsigned n = 0;
		for (unsigned f = 1; f < FEAT_COUNT; f++)
			if (feat_names[f])
				list[n++] = feat_names[f];
		list[n] = NULL;
	}
	return list;
}

static int feat_lookup(const char *name, size_t len)
{
	if (len == 4 && !strncmp(name, "sse3", 4))
		return FEAT_SSE3; /* QEMU alias of pni */
	for (int f = 1; f < FEAT_COUNT; f++)
		if (feat_names[f] && strlen(feat_names[f]) == len && !strncmp(feat_names[f], name, len))
			return f;
	return -1;
}

/* One modifier: +feat, -feat, feat=on|off, feat. */
static bool apply_one(uint64_t *feats, const char *s, size_t len)
{
	bool on = true;
	size_t nlen = len;
	if (len && (s[0] == '+' || s[0] == '-')) {
		on = s[0] == '+';
		s++;
		len--;
		nlen = len;
	} else {
		const char *eq = memchr(s, '=', len);
		if (eq) {
			nlen = (size_t)(eq - s);
			size_t vlen = len - nlen - 1;
			if (vlen == 2 && !strncmp(eq + 1, "on", 2))
				on = true;
			else if (vlen == 3 && !strncmp(eq + 1, "off", 3))
				on = false;
			else
				return false;
		}
	}
	int f = feat_lookup(s, nlen);
	if (f < 0)
		return false;
	if (on)
		*feats |= 1ull << f;
	else
		*feats &= ~(1ull << f);
	return true;
}

bool cpuid_apply_features(uint64_t *feats, const char *list)
{
	if (!list)
		return true;
	while (*list) {
		size_t len = strcspn(list, ",");
		if (len && !apply_one(feats, list, len))
			return false;
		list += len;
		if (*list == ',')
			list++;
	}
	return true;
}
