/* Generated object list (see manifest.h). */
#include "manifest.h"
#include "../model/kinds.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void discard(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
	(void)diag, (void)user, (void)buf, (void)len;
}

void manifests_init(struct manifests *ms, struct arena *a)
{
	memset(ms, 0, sizeof(*ms));
	ms->a = a;
	/* One silent diagnostic object for all the parsers and documents of a service.
	 * Without it libfyaml makes one for each of them and asks isatty() twice every time
	 * (about 45 system calls per service); and its messages are not for the user: a
	 * text that does not read back is reported by yaml_render(). */
	struct fy_diag_cfg dcfg = { .output_fn = discard, .level = FYET_ERROR };
	ms->diag = fy_diag_create(&dcfg);
	struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET, .diag = ms->diag };
	ms->evp = ms->diag ? fy_parser_create(&cfg) : NULL;
	if (!ms->evp) {
		fputs("hyscale: fatal: cannot create YAML parser\n", stderr);
		exit(4);
	}
}

void manifests_free(struct manifests *ms)
{
	for (size_t i = 0; i < ms->n; i++)
		fy_document_destroy(ms->v[i]->yb.doc);
	if (ms->evp)
		fy_parser_destroy(ms->evp);
	if (ms->diag)
		fy_diag_unref(ms->diag);
	ms->n = 0;
	ms->evp = NULL;
	ms->diag = NULL;
}

struct manifest *manifest_new(struct manifests *ms, const char *api_version, const char *kind,
			      const char *name, const char *ns, const struct kvl *labels)
{
	struct manifest *m = arena_alloc(ms->a, sizeof(*m));
	*ARENA_PUSH(ms->a, ms->v, ms->n, ms->cap) = m;
	m->api_version = api_version;
	m->kind = kind;
	m->name = name;
	m->rank = kind_rank(kind);
	m->yb.evp = ms->evp;
	m->yb.diag = ms->diag;
	struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET, .diag = ms->diag };
	m->yb.doc = fy_document_create(&cfg);
	if (!m->yb.doc) {
		fputs("hyscale: fatal: out of memory\n", stderr);
		exit(4);
	}
	struct yb *b = &m->yb;
	m->root = yb_map(b);
	fy_document_set_root(b->doc, m->root);
	yb_str(b, m->root, "apiVersion", api_version);
	yb_str(b, m->root, "kind", kind);
	m->metadata = yb_child_map(b, m->root, "metadata");
	yb_str(b, m->metadata, "name", name);
	if (ns)
		yb_str(b, m->metadata, "namespace", ns);
	if (labels && labels->n) {
		struct fy_node *l = yb_child_map(b, m->metadata, "labels");
		for (size_t i = 0; i < labels->n; i++)
			yb_str(b, l, labels->v[i].key, labels->v[i].value);
	}
	return m;
}

struct manifest *manifests_find(struct manifests *ms, const char *kind, const char *name)
{
	for (size_t i = 0; i < ms->n; i++)
		if (!strcmp(ms->v[i]->kind, kind) && (!name || !strcmp(ms->v[i]->name, name)))
			return ms->v[i];
	return NULL;
}

static void set_in(struct manifest *m, const char *section, const char *key, const char *value)
{
	struct fy_node *sec = yb_ensure_map(&m->yb, m->metadata, section);
	struct fy_node_pair *p = yb_get_pair(sec, key);
	if (p)
		fy_node_pair_set_value(p, yb_strnode(&m->yb, value));
	else
		yb_str(&m->yb, sec, key, value);
}

void manifest_annotate(struct manifest *m, const char *key, const char *value) { set_in(m, "annotations", key, value); }
void manifest_label(struct manifest *m, const char *key, const char *value) { set_in(m, "labels", key, value); }

static int cmp_rank(const void *a, const void *b)
{
	const struct manifest *x = *(struct manifest *const *)a, *y = *(struct manifest *const *)b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->name, y->name);
}

static char *lower(struct arena *a, const char *s)
{
	char *r = arena_strdup(a, s);
	for (char *p = r; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

void manifests_finish(struct manifests *ms)
{
	qsort(ms->v, ms->n, sizeof(*ms->v), cmp_rank);
	for (size_t i = 0; i < ms->n; i++) {
		struct manifest *m = ms->v[i];
		size_t same = 0;
		for (size_t j = 0; j < ms->n; j++)
			same += !strcmp(ms->v[j]->kind, m->kind);
		const char *k = lower(ms->a, m->kind);
		size_t nl = strlen(m->name), kl = strlen(k);
		bool suffixed = nl > kl + 1 && m->name[nl - kl - 1] == '-' && !strcmp(m->name + nl - kl, k);
		if (same <= 1)
			m->file = arena_printf(ms->a, "%s.yaml", k);
		else
			m->file = suffixed ? arena_printf(ms->a, "%s.yaml", m->name) : arena_printf(ms->a, "%s-%s.yaml", m->name, k);
	}
}
