/* The provider table: the one place that lists every Layer-7 provider. */
#include "provider.h"
#include <string.h>
#include <strings.h>
#include "../spec/fields.h"
#include "../util/sbuf.h"

extern const struct provider provider_nginx, provider_traefik, provider_istio, provider_gateway, provider_contour,
	provider_haproxy, provider_f5_nginx;

static const struct provider *const table[] = {
	&provider_nginx,
	&provider_traefik,
	&provider_istio,
	&provider_gateway,
	&provider_contour,
	&provider_haproxy,
	&provider_f5_nginx,
	NULL,
};

const struct provider *const *provider_table(void) { return table; }

static bool alias_match(const char *aliases, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = aliases; p && *p;) {
		const char *sp = strchr(p, ' ');
		size_t l = sp ? (size_t)(sp - p) : strlen(p);
		if (l == n && !strncasecmp(p, name, n))
			return true;
		p = sp ? sp + 1 : NULL;
	}
	return false;
}

const struct provider *provider_find(const char *name)
{
	for (size_t i = 0; table[i]; i++)
		if (!strcasecmp(table[i]->name, name) || alias_match(table[i]->aliases, name))
			return table[i];
	return NULL;
}

const char *provider_names(struct arena *a)
{
	struct sbuf sb = SBUF_INIT;
	for (size_t i = 0; table[i]; i++)
		sb_join(&sb, ", ", table[i]->name);
	return sb_to_arena(&sb, a);
}

/* The provider names and aliases, from the provider table: a provider added there is
 * in the schema without another edit. */
const char *const *provider_value_names(void)
{
	static const char *names[64];
	static char buf[1024];
	if (names[0])
		return names;
	size_t n = 0, used = 0;
	for (const struct provider *const *p = provider_table(); *p && n + 2 < 64; p++) {
		names[n++] = (*p)->name;
		for (const char *a = (*p)->aliases; a && *a && n + 2 < 64;) {
			size_t l = strcspn(a, " ");
			if (used + l + 1 > sizeof(buf))
				break;
			memcpy(buf + used, a, l);
			buf[used + l] = '\0';
			names[n++] = buf + used;
			used += l + 1;
			a += l + (a[l] == ' ');
		}
	}
	names[n] = NULL;
	return names;
}
