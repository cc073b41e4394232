/* Kubernetes naming rules (see names.h). */
#include "names.h"
#include <ctype.h>
#include <string.h>

char *name_normalize(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	char *out = arena_alloc(a, n + 1);
	size_t o = 0;
	while (*s && isspace((unsigned char)*s))
		s++;
	const char *end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	for (; s < end; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) && c < 128) {
			out[o++] = (char)tolower(c);
		} else if (c == '-' || c == '.' || c == ' ' || c == '_' || c == '\t') {
			if (c == '-' || o == 0 || out[o - 1] != '-')
				out[o++] = '-';
		}
	}
	out[o] = '\0';
	return out;
}

static bool is_label_char(unsigned char c) { return isalnum(c) || c == '-' || c == '_' || c == '.'; }

int utf8_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	int n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	for (int i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

const char *name_dropped(const char *s)
{
	const char *end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	while (s < end && isspace((unsigned char)*s))
		s++;
	for (; s < end; s++) {
		unsigned char c = (unsigned char)*s;
		if (!(isalnum(c) && c < 128) && !strchr("-._ \t", c))
			return s;
	}
	return NULL;
}

static bool label_run(const char *s, size_t n, bool first_alpha)
{
	if (n == 0 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0 && i < n - 1);
		if (!ok)
			return false;
	}
	return !first_alpha || (s[0] >= 'a' && s[0] <= 'z');
}

bool is_dns_label(const char *s) { return label_run(s, strlen(s), false); }
bool is_dns1035_label(const char *s) { return label_run(s, strlen(s), true); }

bool is_dns_subdomain(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 253)
		return false;
	const char *p = s;
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		if (!label_run(p, len, false))
			return false;
		if (!dot)
			return true;
		p = dot + 1;
	}
}

bool is_wildcard_dns_subdomain(const char *s)
{
	/* The API server's IsWildcardDNS1123Subdomain counts the "*." too. */
	if (strlen(s) > 253)
		return false;
	if (s[0] == '*' && s[1] == '.')
		return is_dns_subdomain(s + 2);
	return is_dns_subdomain(s);
}

bool looks_like_ip(const char *s)
{
	/* IPv6 always has ':'; an IPv4 literal is four numeric labels. */
	if (strchr(s, ':'))
		return true;
	int parts = 0;
	const char *p = s;
	while (*p) {
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
		parts++;
		if (*p == '.')
			p++;
		else if (*p)
			return false;
	}
	return parts == 4;
}

bool is_label_value(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return true;
	if (n > 63 || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 128 || !is_label_char((unsigned char)s[i]))
			return false;
	return true;
}

bool is_label_key(const char *s)
{
	const char *slash = strchr(s, '/');
	const char *name = s;
	if (slash) {
		char prefix[254];
		size_t pl = (size_t)(slash - s);
		if (pl == 0 || pl > 253)
			return false;
		memcpy(prefix, s, pl);
		prefix[pl] = '\0';
		if (!is_dns_subdomain(prefix))
			return false;
		name = slash + 1;
	}
	return *name && is_label_value(name);
}

bool is_http_token(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!(isalnum(c) && c < 128) && !strchr("!#$%&'*+-.^_`|~", c))
			return false;
	}
	return true;
}

size_t edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return cap + 1;
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0], best = row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) ? 0 : 1;
			size_t v = prev + cost;
			if (row[j] + 1 < v)
				v = row[j] + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			prev = cur;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
	}
	return row[lb];
}
