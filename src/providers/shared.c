/* What several providers share beyond the Ingress (see provider.h). */
#include "provider.h"
#include <string.h>

/* Envoy reads header values as format strings: a literal '%' is "%%". */
const char *envoy_escape(struct arena *a, const char *v)
{
	if (!strchr(v, '%'))
		return v;
	size_t n = 0;
	for (const char *p = v; *p; p++)
		n += *p == '%' ? 2 : 1;
	char *o = arena_alloc(a, n + 1), *q = o;
	for (const char *p = v; *p; p++) {
		*q++ = *p;
		if (*p == '%')
			*q++ = '%';
	}
	return o;
}

/* The user's annotations go on last and win: they are the escape hatch for what the
 * model cannot say. Overriding one that hyscale generated is legitimate but risky, so
 * check() says it once per key (the first object that has it). */
void annotations_passthrough(const struct routing *r, struct manifest *m)
{
	for (size_t i = 0; i < r->annotations.n; i++)
		manifest_annotate(m, r->annotations.v[i].key, r->annotations.v[i].value);
}

void annotate_planned(const struct routing *r, struct manifest *m, const struct planned *p)
{
	for (size_t i = 0; i < p->ann.n; i++)
		manifest_annotate(m, p->ann.v[i].key, p->ann.v[i].value);
	annotations_passthrough(r, m);
}

void check_annotation_overrides(const struct routing *r, struct diags *d, const struct planned *objs, size_t n)
{
	for (size_t i = 0; i < r->annotations.n; i++)
		for (size_t o = 0; o < n; o++) {
			const char *old = kvl_get(&objs[o].ann, r->annotations.v[i].key);
			if (!old)
				continue;
			origin_warn(d, r->annotation_origins[i], "replaces the value hyscale generates for %s %s (%s)",
				    objs[o].kind, objs[o].name, old);
			break;
		}
}

void warn_ignored_labels(const struct routing *r, struct diags *d)
{
	if (r->gw_labels.n)
		origin_warn(d, r->labels_origin, "ignored by provider %s: labels select Istio ingress gateway pods",
			    r->provider);
}
