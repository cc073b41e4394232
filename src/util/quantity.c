/* Quantity parsing (see quantity.h). */
#include "quantity.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

bool quantity_parse(const char *s, long double *value)
{
	const char *p = s;
	if (*p == '+')
		p++;
	const char *num = p;
	size_t digits = 0;
	while (isdigit((unsigned char)*p)) {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			p++;
			digits++;
		}
	}
	if (!digits || p - num > 64)
		return false;
	char buf[80];
	memcpy(buf, num, (size_t)(p - num));
	buf[p - num] = '\0';
	long double v = strtold(buf, NULL);
	static const struct { const char *sfx; long double mul; } sfx[] = {
		{ "Ki", 1024.0L }, { "Mi", 1048576.0L }, { "Gi", 1073741824.0L }, { "Ti", 1099511627776.0L },
		{ "Pi", 1125899906842624.0L }, { "Ei", 1152921504606846976.0L },
		{ "n", 1e-9L }, { "u", 1e-6L }, { "m", 1e-3L }, { "", 1.0L }, { "k", 1e3L }, { "M", 1e6L },
		{ "G", 1e9L }, { "T", 1e12L }, { "P", 1e15L }, { "E", 1e18L },
	};
	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
		if (!strcmp(p, sfx[i].sfx)) {
			*value = v * sfx[i].mul;
			return true;
		}
	if (*p == 'e' || *p == 'E') {
		const char *e = p + 1;
		if (*e == '+' || *e == '-')
			e++;
		if (!isdigit((unsigned char)*e))
			return false;
		for (const char *q = e; *q; q++)
			if (!isdigit((unsigned char)*q))
				return false;
		long ex = strtol(p + 1, NULL, 10);
		if (ex > 30 || ex < -30)
			return false;
		for (; ex > 0; ex--)
			v *= 10.0L;
		for (; ex < 0; ex++)
			v /= 10.0L;
		*value = v;
		return true;
	}
	return false;
}

const char *quantity_hint(const char *s)
{
	size_t n = strlen(s);
	static const struct { const char *bad, *good; } near[] = {
		{ "kb", "Ki" }, { "mb", "Mi" }, { "gb", "Gi" }, { "tb", "Ti" }, { "KB", "Ki" }, { "MB", "Mi" },
		{ "GB", "Gi" }, { "TB", "Ti" }, { "Kb", "Ki" }, { "Mb", "Mi" }, { "Gb", "Gi" }, { "g", "Gi" },
		{ "K", "Ki" }, { "t", "Ti" }, { "ki", "Ki" }, { "mi", "Mi" }, { "gi", "Gi" }, { "ti", "Ti" },
	};
	for (size_t i = 0; i < sizeof(near) / sizeof(near[0]); i++) {
		size_t l = strlen(near[i].bad);
		if (n > l && !strcmp(s + n - l, near[i].bad) && isdigit((unsigned char)s[n - l - 1]))
			return near[i].good;
	}
	return NULL;
}
