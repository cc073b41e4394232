/* Diagnostics: one stored copy of a repeated text, and the grouping of repeated warnings and
 * notes in diags_print (issue 16). */
#include "testutil.h"
#include "util/diag.h"

/* diags_print's text, in an arena string */
static const char *printed(struct diags *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	diags_print(d, f);
	fclose(f);
	const char *s = arena_strdup(d->arena, buf);
	free(buf);
	return s;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

static void report_many(struct diags *d, size_t n, enum diag_level lvl, const char *field, const char *word)
{
	for (size_t i = 0; i < n; i++) {
		char file[32];
		snprintf(file, sizeof(file), "svc-%03zu.hspec", i + 1);
		diag_report(d, lvl, LOC(arena_strdup(d->arena, file), 12, 3), field, "the same %s for %d services", word, 10);
	}
}

static void test_text_stored_once(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct diags d;
	diags_init(&d, &a);
	report_many(&d, 10000, DIAG_WARNING, "loadBalancer.headers", "warning");
	diag_warn(&d, LOC("x.hspec", 1, 1), "loadBalancer.headers", "another message");
	assert_int_equal(d.n, 10001);
	assert_int_equal(d.warnings, 10001);
	for (size_t i = 1; i < 10000; i++) {
		assert_ptr_equal(d.items[i].msg, d.items[0].msg);
		assert_ptr_equal(d.items[i].field, d.items[0].field);
	}
	assert_string_equal(d.items[0].msg, "the same warning for 10 services");
	assert_ptr_equal(d.items[10000].field, d.items[0].field);
	assert_string_equal(d.items[10000].msg, "another message");
	assert_int_equal(d.ntexts, 3);
	arena_free(&a);
}

static void test_grouped(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct diags d;
	diags_init(&d, &a);
	report_many(&d, 1000, DIAG_WARNING, "loadBalancer.headers", "warning");
	report_many(&d, 1000, DIAG_NOTE, "loadBalancer.provider", "note");
	report_many(&d, 5, DIAG_ERROR, "external", "error");
	diag_warn(&d, LOC("svc-500.hspec", 1, 1), "loadBalancer.headers", "a different warning");
	const char *s = printed(&d);
	assert_int_equal(count(s, "\n"), 3 + 1 + 3 + 1 + 5 + 1);
	assert_int_equal(count(s, "warning: loadBalancer.headers: the same warning for 10 services\n"), 3);
	assert_int_equal(count(s, "note: loadBalancer.provider: the same note for 10 services\n"), 3);
	assert_int_equal(count(s, "error: external: the same error"), 5);
	/* each summary follows the last one shown, so "the same" is the line above it */
	assert_non_null(strstr(s, "svc-003.hspec:12:3: warning: loadBalancer.headers: the same warning for 10 services\n"
				  "hyscale: note: ... and 997 more of the same warning, in 997 other file(s) (-v shows every one)\n"
				  "svc-003.hspec:12:3: note: loadBalancer.provider: the same note for 10 services\n"
				  "hyscale: note: ... and 997 more of the same note, in 997 other file(s) (-v shows every one)\n"
				  "svc-003.hspec:12:3: error: external: the same error for 10 services\n"
				  "svc-004.hspec:12:3: error: external: the same error for 10 services\n"));
	assert_non_null(strstr(s, "svc-500.hspec:1:1: warning: loadBalancer.headers: a different warning\n"));

	d.all = true;
	s = printed(&d);
	assert_int_equal(count(s, "\n"), 2006);
	assert_null(strstr(s, "more of the same"));

	/* --strict: the warnings print as errors and are grouped as such */
	d.all = false;
	d.strict = true;
	s = printed(&d);
	assert_non_null(strstr(s, "hyscale: note: ... and 997 more of the same error, in 997 other file(s)"));
	arena_free(&a);
}

/* Texts compared, not pointers: an item whose message was replaced after the report (as
 * snippets.c does) groups with the others; long messages are not interned but group too;
 * repeats inside one file count once as a file. */
static void test_grouped_by_text(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct diags d;
	diags_init(&d, &a);
	char big[1500];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (int i = 0; i < 6; i++)
		diag_warn(&d, LOC(i < 4 ? "a.hspec" : "b.hspec", i + 1, 1), NULL, "long %s", big);
	for (int i = 0; i < 6; i++)
		diag_note(&d, LOC("c.hspec", i + 1, 1), "f", "old %d", i);
	for (int i = 0; i < 6; i++)
		d.items[6 + i].msg = arena_strdup(&a, "replaced");
	const char *s = printed(&d);
	assert_int_equal(count(s, ": warning: long xxx"), 3);
	assert_non_null(strstr(s, "hyscale: note: ... and 3 more of the same warning, in 1 other file(s) (-v shows every one)\n"));
	assert_int_equal(count(s, "note: f: replaced\n"), 3);
	assert_non_null(strstr(s, "hyscale: note: ... and 3 more of the same note (-v shows every one)\n"));
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_stored_once),
		cmocka_unit_test(test_grouped),
		cmocka_unit_test(test_grouped_by_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
