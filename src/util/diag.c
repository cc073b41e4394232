/* Diagnostics collection and printing (see diag.h). */
#include "diag.h"
#include <stdlib.h>
#include <string.h>

void diags_init(struct diags *d, struct arena *a)
{
	memset(d, 0, sizeof(*d));
	d->arena = a;
}

static size_t text_hash(const char *s, size_t len)
{
	size_t h = 14695981039346656037u; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

/* The one stored copy of s[0..len) (see struct diags). */
static const char *intern(struct diags *d, const char *s, size_t len)
{
	if ((d->ntexts + 1) * 2 > d->texts_cap) {
		size_t cap = d->texts_cap ? d->texts_cap * 2 : 64;
		const char **t = arena_alloc(d->arena, cap * sizeof(*t));
		for (size_t i = 0; i < d->texts_cap; i++)
			if (d->texts[i]) {
				size_t j = text_hash(d->texts[i], strlen(d->texts[i])) & (cap - 1);
				while (t[j])
					j = (j + 1) & (cap - 1);
				t[j] = d->texts[i];
			}
		d->texts = t;
		d->texts_cap = cap;
	}
	size_t j = text_hash(s, len) & (d->texts_cap - 1);
	for (; d->texts[j]; j = (j + 1) & (d->texts_cap - 1))
		if (!strncmp(d->texts[j], s, len) && !d->texts[j][len])
			return d->texts[j];
	d->ntexts++;
	return d->texts[j] = arena_strndup(d->arena, s, len);
}

void diag_report(struct diags *d, enum diag_level lvl, struct loc loc, const char *field,
		 const char *fmt, ...)
{
	const char *code = diag_code_of(fmt);
	if (lvl != DIAG_ERROR)
		for (size_t i = 0; i < d->nallow; i++)
			if (!strcmp(d->allow[i], code)) {
				d->allowed++;
				return;
			}
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	char buf[1024];
	int len = vsnprintf(buf, sizeof(buf), fmt, ap);
	struct diag *dg = ARENA_PUSH(d->arena, d->items, d->n, d->cap);
	dg->code = code;
	dg->level = lvl;
	dg->loc = loc;
	dg->field = field ? intern(d, field, strlen(field)) : NULL;
	/* a longer message is stored as it is: rare, and diags_print still groups it by its text */
	dg->msg = len >= 0 && (size_t)len < sizeof(buf) ? intern(d, buf, (size_t)len) : arena_vprintf(d->arena, fmt, again);
	dg->seq = (unsigned)d->n;
	va_end(again);
	va_end(ap);
	if (lvl == DIAG_ERROR)
		d->errors++;
	else if (lvl == DIAG_WARNING)
		d->warnings++;
}

bool diags_failed(const struct diags *d)
{
	return d->errors > 0 || (d->strict && d->warnings > 0);
}

static int cmp_diag(const void *a, const void *b)
{
	const struct diag *x = a, *y = b;
	const char *fx = x->loc.file ? x->loc.file : "", *fy = y->loc.file ? y->loc.file : "";
	int c = strcmp(fx, fy);
	if (c)
		return c;
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	if (x->loc.col != y->loc.col)
		return x->loc.col < y->loc.col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A C1 control (U+0080..U+009F, UTF-8 C2 80..C2 9F): U+009B is a CSI to many terminals. */
static bool c1_at(const unsigned char *p) { return p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f; }

const char *diag_escape(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += *p < 0x20 || *p == 0x7f || c1_at(p);
	if (!n)
		return s;
	char *out = arena_alloc(a, strlen(s) + 4 * n + 1), *o = out;
	static const char hex[] = "0123456789abcdef";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t') {
			*o++ = '\\';
			*o++ = *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't';
		} else if (*p < 0x20 || *p == 0x7f || c1_at(p)) {
			unsigned c = c1_at(p) ? *++p : *p;
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		} else {
			*o++ = (char)*p;
		}
	}
	*o = '\0';
	return out;
}

const char *diag_format(struct arena *a, const struct diag *dg, bool strict)
{
	const char *lvl = dg->level == DIAG_ERROR ? "error"
			  : dg->level == DIAG_NOTE ? "note"
			  : strict ? "error" : "warning";
	const char *where;
	if (dg->loc.file && dg->loc.line > 0)
		where = arena_printf(a, "%s:%d:%d: ", diag_escape(a, dg->loc.file), dg->loc.line, dg->loc.col);
	else if (dg->loc.file)
		where = arena_printf(a, "%s: ", diag_escape(a, dg->loc.file));
	else
		where = "hyscale: ";
	/* An empty field (the document root) would print as ": message". */
	bool field = dg->field && *dg->field;
	return arena_printf(a, "%s%s: %s%s%s%s", where, lvl, field ? diag_escape(a, dg->field) : "",
			    field ? ": " : "", diag_escape(a, dg->msg),
			    strict && dg->level == DIAG_WARNING ? " [--strict]" : "");
}

void diags_sort(struct diags *d)
{
	if (d->n > 1)
		qsort(d->items, d->n, sizeof(*d->items), cmp_diag);
}

#define NO_GROUP ((size_t)-1)

/* Same level, code, field and message: the diagnostics diags_print groups (not errors). Texts
 * are compared, not pointers: callers may replace an item's field or message after the report
 * (snippets.c, pipeline.c), with a copy that is not interned. */
static bool same_text(const char *x, const char *y) { return x == y || (x && y && !strcmp(x, y)); }
static bool same_kind(const struct diag *x, const struct diag *y)
{
	return x->level == y->level && same_text(x->code, y->code) && same_text(x->field, y->field) &&
	       same_text(x->msg, y->msg);
}
static size_t kind_hash(const struct diag *dg)
{
	size_t h = (size_t)dg->level;
	for (const char *s[] = { dg->code, dg->field, dg->msg }, **p = s; p < s + 3; p++)
		h = h * 31 + (*p ? text_hash(*p, strlen(*p)) : 0);
	return h;
}

struct group { size_t first, count, seen, hidden_files; const char *last_file; };

void diags_print(struct diags *d, FILE *out)
{
	diags_sort(d);
	size_t n = d->n, ng = 0;
	size_t *of = NULL;
	struct group *g = NULL;
	if (!d->all && n > DIAG_GROUP_SHOWN + 1) {
		/* one pass in print order: each item's group, the group sizes, and how many files the
		 * occurrences after the first DIAG_GROUP_SHOWN are in */
		of = arena_alloc(d->arena, n * sizeof(*of));
		g = arena_alloc(d->arena, n * sizeof(*g));
		size_t cap = 64;
		while (cap < 2 * n)
			cap *= 2;
		size_t *slot = arena_alloc(d->arena, cap * sizeof(*slot)); /* group index + 1, 0: free */
		for (size_t i = 0; i < n; i++) {
			const struct diag *dg = &d->items[i];
			of[i] = NO_GROUP;
			if (dg->level == DIAG_ERROR)
				continue;
			size_t j = kind_hash(dg) & (cap - 1);
			while (slot[j] && !same_kind(&d->items[g[slot[j] - 1].first], dg))
				j = (j + 1) & (cap - 1);
			if (!slot[j]) {
				g[ng].first = i;
				slot[j] = ++ng;
			}
			struct group *gr = &g[of[i] = slot[j] - 1];
			const char *file = dg->loc.file ? dg->loc.file : "";
			if (gr->count++ >= DIAG_GROUP_SHOWN && strcmp(file, gr->last_file))
				gr->hidden_files++;
			gr->last_file = file;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct group *gr = of && of[i] != NO_GROUP ? &g[of[i]] : NULL;
		/* hiding a single line would save nothing */
		size_t k = gr ? gr->seen++ : 0;
		if (gr && gr->count > DIAG_GROUP_SHOWN + 1 && k >= DIAG_GROUP_SHOWN)
			continue;
		fprintf(out, "%s\n", diag_format(d->arena, &d->items[i], d->strict));
		if (gr && gr->count > DIAG_GROUP_SHOWN + 1 && k == DIAG_GROUP_SHOWN - 1) {
			const struct diag *dg = &d->items[i];
			const char *lvl = dg->level == DIAG_NOTE ? "note" : d->strict ? "error" : "warning";
			fprintf(out, "hyscale: note: ... and %zu more of the same %s", gr->count - DIAG_GROUP_SHOWN, lvl);
			if (gr->hidden_files)
				fprintf(out, ", in %zu other file(s)", gr->hidden_files);
			fputs(" (-v shows every one)\n", out);
		}
	}
}
