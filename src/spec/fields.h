/* The spec's fields in one table: the reader takes the known keys of each mapping from it
 * (unknown-field diagnostics, did-you-mean) and `hyscale schema` writes the JSON Schema
 * from it, so the editor's schema and the reader cannot drift apart. A new field is one
 * entry here; tests/unit/test_fields.c fails when the reader reads a key the table lacks,
 * or the table lists a field the reader never reads. */
#ifndef HS_FIELDS_H
#define HS_FIELDS_H
#include <stdbool.h>

/* The shapes a value may take (a bit set: replicas is an integer or a mapping). */
enum fshape {
	FS_STR = 1,   /* a string (numbers are taken as written, e.g. tag: 1.10) */
	FS_INT = 2,   /* an integer */
	FS_BOOL = 4,  /* true or false */
	FS_MAP = 8,   /* a mapping with the fields in .fields */
	FS_LIST = 16, /* a list of .item */
	FS_DICT = 32, /* a mapping of names to strings, numbers or booleans (props, headers) */
	FS_NUM = 64,  /* FS_STR also takes a plain number (image.tag: 1.25) */
};

struct field {
	const char *name;
	unsigned shape;
	const char *desc;
	const char *pattern;             /* strings: an ECMA-262 regular expression */
	const char *const *values;       /* strings: the only values (NULL-terminated) */
	const char *const *(*values_fn)(void); /* the same, computed (provider names) */
	const char *dflt;                /* default, as a JSON literal */
	const char *minimum, *maximum;   /* integers: the range, as JSON numbers */
	const struct field *fields;      /* FS_MAP: ends with an entry whose name is NULL */
	const struct field *item;        /* FS_LIST: the shape of an item */
	bool required;
	bool ignored;                    /* accepted for HyScale compatibility, not used */
	bool case_insensitive;           /* values match in any case */
};

/* The top level of a service spec (.hspec) and of a profile (.hprof). */
const struct field *spec_fields_root(void);
const struct field *profile_fields_root(void);
/* The fields of the mapping at a schema path: "" (top), "image", "loadBalancer.sticky",
 * "ports[]" (an item), "agents[].volumes[]". Aborts on a path the table lacks: that is a
 * bug in the reader, found by any test that reaches it. */
const struct field *spec_fields(const char *path);
/* The field named name among fields, or NULL. */
const struct field *field_find(const struct field *fields, const char *name);
/* Every provider name and alias, for the provider field's enum. Defined by the provider
 * table (src/providers/registry.c), which this layer cannot include: the spec is read
 * before any provider exists, but the set of valid names belongs to the table. */
const char *const *provider_value_names(void);
#endif
