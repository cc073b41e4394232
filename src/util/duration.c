/* Durations (see duration.h). */
#include "duration.h"
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long duration_seconds(const char *s)
{
	if (!*s)
		return -1;
	bool digits_only = true;
	for (const char *c = s; *c; c++)
		digits_only &= isdigit((unsigned char)*c) != 0;
	if (digits_only)
		return strlen(s) > 9 ? -1 : atol(s);
	long total = 0;
	char last = 0;
	while (*s) {
		if (!isdigit((unsigned char)*s))
			return -1;
		long v = 0;
		int nd = 0;
		for (; isdigit((unsigned char)*s); s++, nd++)
			v = v * 10 + (*s - '0');
		if (nd > 6)
			return -1;
		char u = *s++;
		long mul = u == 'h' ? 3600 : u == 'm' ? 60 : u == 's' ? 1 : 0;
		/* units in order h, m, s, each once */
		if (!mul || (last && ((last == 'm' && u == 'h') || (last == 's') || last == u)))
			return -1;
		last = u;
		total += v * mul;
		if (total > 10L * 365 * 24 * 3600)
			return -1;
	}
	return total;
}

const char *duration_text(struct arena *a, long s)
{
	long h = s / 3600, m = (s % 3600) / 60, sec = s % 60;
	char buf[64];
	size_t o = 0;
	if (h)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%ldh", h);
	if (m)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%ldm", m);
	if (sec || !o)
		snprintf(buf + o, sizeof(buf) - o, "%lds", sec);
	return arena_strdup(a, buf);
}
