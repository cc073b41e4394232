/* The field table (src/spec/fields.c, the source of `hyscale schema`) against the reader
 * (src/spec/read.c). Linked with -Wl,--wrap=fy_node_mapping_lookup_pair_by_string, so every
 * key the reader looks up in a mapping is recorded, and the mapping's place in the document
 * gives its schema path. A spec holding every field of the table is read; then
 *  - every key the reader looked up must be a field of the table at that path (a field the
 *    reader knows and the schema lacks fails here), and
 *  - every field of the table must have been looked up (a schema field the reader ignores
 *    fails here, unless the table marks it ignored: accepted for HyScale, not used). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <libfyaml.h>
#include "spec/fields.h"
#include "spec/read.h"
#include "spec/yaml.h"

struct lookup { struct fy_node *map; char key[64]; };
static struct lookup lookups[4096];
static size_t nlookups;
static int recording;

struct fy_node_pair *__real_fy_node_mapping_lookup_pair_by_string(struct fy_node *, const char *, size_t);
struct fy_node_pair *__wrap_fy_node_mapping_lookup_pair_by_string(struct fy_node *map, const char *key, size_t len)
{
	if (recording && nlookups < sizeof(lookups) / sizeof(lookups[0])) {
		lookups[nlookups].map = map;
		snprintf(lookups[nlookups].key, sizeof(lookups[nlookups].key), "%.*s",
			 (int)(len == FY_NT ? strlen(key) : len), key);
		nlookups++;
	}
	return __real_fy_node_mapping_lookup_pair_by_string(map, key, len);
}

/* A document holding every field: mappings rather than their short forms (sticky: {…},
 * replicas: {…}), one item per list. */
static struct fy_node *instance(struct fy_document *d, const struct field *f)
{
	if (f->shape & FS_MAP) {
		struct fy_node *m = fy_node_create_mapping(d);
		for (const struct field *c = f->fields; c->name; c++)
			fy_node_mapping_append(m, fy_node_create_scalar_copy(d, c->name, FY_NT), instance(d, c));
		return m;
	}
	if (f->shape & FS_LIST) {
		struct fy_node *s = fy_node_create_sequence(d);
		fy_node_sequence_append(s, instance(d, f->item));
		return s;
	}
	if (f->shape & FS_DICT)
		return fy_node_build_from_string(d, "{KEY: value}", FY_NT);
	if (f->shape & FS_INT)
		return fy_node_create_scalar(d, "80", FY_NT);
	if (f->shape & FS_BOOL)
		return fy_node_create_scalar(d, "true", FY_NT);
	const char *const *v = f->values ? f->values : f->values_fn ? f->values_fn() : NULL;
	return fy_node_create_scalar_copy(d, v ? v[0] : f->pattern && !strcmp(f->pattern, "^/") ? "/x" : "x", FY_NT);
}

struct place { struct fy_node *map; char path[256]; };
static struct place places[1024];
static size_t nplaces;

static void walk(struct fy_node *n, const char *path)
{
	if (fy_node_is_mapping(n)) {
		assert_true(nplaces < 1024);
		places[nplaces].map = n;
		snprintf(places[nplaces++].path, sizeof(places[0].path), "%s", path);
		void *it = NULL;
		struct fy_node_pair *p;
		while ((p = fy_node_mapping_iterate(n, &it))) {
			char sub[256];
			snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", fy_node_get_scalar0(fy_node_pair_key(p)));
			walk(fy_node_pair_value(p), sub);
		}
	} else if (fy_node_is_sequence(n)) {
		char sub[256];
		snprintf(sub, sizeof(sub), "%s[]", path);
		void *it = NULL;
		struct fy_node *c;
		while ((c = fy_node_sequence_iterate(n, &it)))
			walk(c, sub);
	}
}

static const char *place_of(struct fy_node *map)
{
	for (size_t i = 0; i < nplaces; i++)
		if (places[i].map == map)
			return places[i].path;
	return NULL;
}

static bool looked_up(const char *path, const char *key)
{
	for (size_t i = 0; i < nlookups; i++) {
		const char *p = place_of(lookups[i].map);
		if (p && !strcmp(p, path) && !strcmp(lookups[i].key, key))
			return true;
	}
	return false;
}

static int missing;

/* Every field below path that is not ignored must have been read. */
static void expect_read(const struct field *fields, const char *path)
{
	for (const struct field *f = fields; f && f->name; f++) {
		if (f->ignored)
			continue;
		if (!looked_up(path, f->name)) {
			fprintf(stderr, "schema field %s%s%s is never read by src/spec/read.c\n", path, *path ? "." : "", f->name);
			missing++;
		}
		char sub[256];
		snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", f->name);
		if (f->shape & FS_MAP)
			expect_read(f->fields, sub);
		if ((f->shape & FS_LIST) && (f->item->shape & FS_MAP)) {
			strcat(sub, "[]");
			expect_read(f->item->fields, sub);
		}
	}
}

static void test_reader_and_table_agree(void **state)
{
	(void)state;
	struct fy_document *d = fy_document_create(NULL);
	fy_document_set_root(d, instance(d, spec_fields_root()));
	char path[] = "/tmp/hs-fields-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_int_equal(fy_emit_document_to_fp(d, FYECF_MODE_BLOCK, f), 0);
	fclose(f);
	fy_document_destroy(d);

	struct arena a;
	arena_init(&a);
	struct diags dg;
	diags_init(&dg, &a);
	struct yfile yf;
	assert_true(yfile_load(&yf, path, "service spec", &dg));
	walk(fy_document_root(yf.doc), "");
	struct spec s;
	recording = 1;
	spec_read(&s, &yf, &a, &dg);
	recording = 0;
	for (size_t i = 0; i < dg.n; i++)
		if (strstr(dg.items[i].msg, "unknown field"))
			fail_msg("%s: %s", dg.items[i].field, dg.items[i].msg);

	int unknown = 0;
	for (size_t i = 0; i < nlookups; i++) {
		const char *p = place_of(lookups[i].map);
		if (!p)
			continue;
		if (!field_find(spec_fields(p), lookups[i].key)) {
			fprintf(stderr, "src/spec/read.c reads %s%s%s, which src/spec/fields.c lacks\n", p, *p ? "." : "",
				lookups[i].key);
			unknown++;
		}
	}
	expect_read(spec_fields_root()->fields, "");
	yfile_release(&yf);
	arena_free(&a);
	unlink(path);
	assert_int_equal(unknown, 0);
	assert_int_equal(missing, 0);
	assert_true(nlookups > 50); /* the wrapper saw the reader at all */
}

/* The profile's top level is the spec's without name, plus environment and overrides. */
static void test_profile_table(void **state)
{
	(void)state;
	const struct field *p = profile_fields_root()->fields, *s = spec_fields_root()->fields;
	assert_non_null(field_find(p, "environment"));
	assert_non_null(field_find(p, "overrides"));
	assert_null(field_find(p, "name"));
	for (const struct field *f = s; f->name; f++)
		if (strcmp(f->name, "name"))
			assert_ptr_equal(field_find(p, f->name)->fields, f->fields);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_and_table_agree),
		cmocka_unit_test(test_profile_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
