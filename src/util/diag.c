/* Diagnostics collection and printing (see diag.h). */
#include "diag.h"
#include <stdlib.h>
#include <string.h>

void diags_init(struct diags *d, struct arena *a)
{
	memset(d, 0, sizeof(*d));
	d->arena = a;
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
	va_list ap;
	va_start(ap, fmt);
	struct diag *dg = ARENA_PUSH(d->arena, d->items, d->n, d->cap);
	dg->code = code;
	dg->level = lvl;
	dg->loc = loc;
	dg->field = field ? arena_strdup(d->arena, field) : NULL;
	dg->msg = arena_vprintf(d->arena, fmt, ap);
	dg->seq = (unsigned)d->n;
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

void diags_print(struct diags *d, FILE *out)
{
	diags_sort(d);
	for (size_t i = 0; i < d->n; i++)
		fprintf(out, "%s\n", diag_format(d->arena, &d->items[i], d->strict));
}
