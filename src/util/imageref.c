/* Image references (see imageref.h). The grammar, from distribution/reference:
 *   reference      := name [ ":" tag ] [ "@" digest ]
 *   name           := [domain '/'] path-component ['/' path-component]*
 *   domain         := host [':' port-number]      host: DNS labels, or [IPv6]
 *   path-component := [a-z0-9]+ (separator [a-z0-9]+)*   separator: '.', '_', '__', '-'+
 *   digest         := algorithm ':' hex           (sha256: 64, sha384: 96, sha512: 128) */
#include "imageref.h"
#include <ctype.h>
#include <string.h>

static bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

static const char *path_component_error(const char *s, size_t n)
{
	if (!n)
		return "a path component is empty ('//' or a '/' at an end)";
	for (size_t i = 0; i < n; i++)
		if (isupper((unsigned char)s[i]))
			return "it must be lower case (only a registry host may have capitals)";
	if (!lower_alnum(s[0]) || !lower_alnum(s[n - 1]))
		return "path components must start and end with a lower-case letter or digit";
	for (size_t i = 0; i < n; i++) {
		if (lower_alnum(s[i]))
			continue;
		if (s[i] == '-')
			continue;                                      /* '-'+ */
		if (s[i] == '.' && lower_alnum(s[i + 1]))
			continue;
		if (s[i] == '_' && (lower_alnum(s[i + 1]) || (s[i + 1] == '_' && lower_alnum(s[i + 2])))) {
			i += s[i + 1] == '_';
			continue;
		}
		return "path components hold only lower-case letters, digits and single '.', '_' or '__' or runs of '-' between them";
	}
	return NULL;
}

static const char *domain_error(const char *s, size_t n)
{
	const char *colon = NULL;
	if (n && s[0] == '[') {                                        /* [IPv6]:port */
		const char *close = memchr(s, ']', n);
		if (!close)
			return "the IPv6 registry address has no ']'";
		for (const char *p = s + 1; p < close; p++)
			if (!isxdigit((unsigned char)*p) && *p != ':')
				return "the IPv6 registry address is invalid";
		colon = close + 1 < s + n ? close + 1 : NULL;
		if (colon && *colon != ':')
			return "characters follow the IPv6 registry address";
	} else {
		colon = memchr(s, ':', n);
		size_t hn = colon ? (size_t)(colon - s) : n;
		size_t start = 0;
		for (size_t i = 0; i <= hn; i++) {
			if (i < hn && s[i] != '.')
				continue;
			size_t l = i - start;
			const char *c = s + start;
			if (!l || !isalnum((unsigned char)c[0]) || !isalnum((unsigned char)c[l - 1]))
				return "the registry host must be DNS labels separated by '.'";
			for (size_t k = 0; k < l; k++)
				if (!isalnum((unsigned char)c[k]) && c[k] != '-')
					return "the registry host must be DNS labels separated by '.'";
			start = i + 1;
		}
	}
	if (colon) {
		size_t pl = (size_t)(s + n - colon - 1);
		if (!pl)
			return "the registry port is empty";
		for (size_t i = 1; i <= pl; i++)
			if (!isdigit((unsigned char)colon[i]))
				return "the registry port is not a number";
	}
	return NULL;
}

const char *imageref_name_error(const char *name, size_t len)
{
	if (!len)
		return "it is empty";
	if (len > IMAGEREF_NAME_MAX)
		return "it is longer than 255 characters, the most an image name may have";
	const char *slash = memchr(name, '/', len);
	const char *p = name;
	/* The first component is the registry when it looks like a host (docker's rule). */
	if (slash) {
		size_t fl = (size_t)(slash - name);
		bool host = memchr(name, '.', fl) || memchr(name, ':', fl) || (fl == 9 && !strncmp(name, "localhost", 9));
		for (size_t i = 0; !host && i < fl; i++)
			host = isupper((unsigned char)name[i]);
		if (host) {
			const char *why = domain_error(name, fl);
			if (why)
				return why;
			p = slash + 1;
		}
	}
	const char *end = name + len;
	while (true) {
		const char *s = memchr(p, '/', (size_t)(end - p));
		size_t n = s ? (size_t)(s - p) : (size_t)(end - p);
		const char *why = path_component_error(p, n);
		if (why)
			return why;
		if (!s)
			return NULL;
		p = s + 1;
	}
}

const char *imageref_tag_error(const char *t, size_t len)
{
	if (!len || len > IMAGEREF_TAG_MAX || !(isalnum((unsigned char)t[0]) || t[0] == '_'))
		return "a tag is [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
	for (size_t i = 0; i < len; i++)
		if (!t[i] || !(isalnum((unsigned char)t[i]) || strchr("._-", t[i])))
			return "a tag is [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
	return NULL;
}

const char *imageref_digest_error(const char *d)
{
	static const struct { const char *alg; size_t hex; } algs[] = { { "sha256", 64 }, { "sha384", 96 }, { "sha512", 128 } };
	const char *colon = strchr(d, ':');
	if (!colon)
		return "a digest is <algorithm>:<hex>, e.g. sha256: and 64 hex digits";
	for (size_t i = 0; i < sizeof(algs) / sizeof(*algs); i++) {
		if (strncmp(d, algs[i].alg, (size_t)(colon - d)) || algs[i].alg[colon - d])
			continue;
		const char *h = colon + 1;
		size_t n = strlen(h);
		for (size_t k = 0; k < n; k++)
			if (!isdigit((unsigned char)h[k]) && !(h[k] >= 'a' && h[k] <= 'f'))
				return "the digest must be lower-case hex digits";
		if (n != algs[i].hex)
			return i == 0 ? "a sha256 digest is 64 hex digits"
			       : i == 1 ? "a sha384 digest is 96 hex digits"
					: "a sha512 digest is 128 hex digits";
		return NULL;
	}
	return "the digest algorithm must be sha256, sha384 or sha512";
}

const char *imageref_error(const char *ref)
{
	const char *at = strchr(ref, '@');
	size_t nl = at ? (size_t)(at - ref) : strlen(ref);
	if (at) {
		const char *why = imageref_digest_error(at + 1);
		if (why)
			return why;
	}
	/* A tag is after the last ':' that follows the last '/' (a ':' before it is a port). */
	const char *slash = NULL, *colon = NULL;
	for (const char *p = ref; p < ref + nl; p++) {
		if (*p == '/')
			slash = p, colon = NULL;
		else if (*p == ':')
			colon = p;
	}
	(void)slash;
	if (colon) {
		const char *why = imageref_tag_error(colon + 1, (size_t)(ref + nl - colon - 1));
		if (why)
			return why;
		nl = (size_t)(colon - ref);
	}
	return imageref_name_error(ref, nl);
}
