/* Compiler-style diagnostics: every check reports here and the run prints them all at
 * the end, sorted by position, as `file:line:col: error: field: message`. */
#ifndef HS_DIAG_H
#define HS_DIAG_H
#include <stdbool.h>
#include <stdio.h>
#include "arena.h"

/* A position in an input file; line and col are 1-based, 0 when unknown. */
struct loc {
	const char *file;
	int line, col;
};

static inline struct loc LOC(const char *file, int line, int col)
{
	struct loc l = { file, line, col };
	return l;
}

enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

struct diag {
	enum diag_level level;
	struct loc loc;
	const char *field; /* spec path such as loadBalancer.mapping[0].port, or NULL */
	const char *msg;
	const char *code;  /* stable code, e.g. HS3012 (diag_codes.c) */
	unsigned seq;      /* report order, keeps the sort stable */
};

/* A diagnostic's stable code, keyed by its format string (see diag_codes.c). */
struct diag_code {
	const char *code;
	const char *fmt;
};
#define DIAG_CODE_NONE "HS0000"
const struct diag_code *diag_codes(void);      /* ends with { NULL, NULL } */
const char *diag_code_of(const char *fmt);     /* DIAG_CODE_NONE when the table lacks it */
const struct diag_code *diag_code_find(const char *code);

struct diags {
	struct arena *arena;
	struct diag *items;
	size_t n, cap;
	size_t errors, warnings;
	bool strict;       /* --strict: warnings count as errors */
	const char *const *allow; /* --allow CODE: warnings and notes with these codes are dropped */
	size_t nallow, allowed;
	bool all;          /* -v: diags_print shows every repeated warning and note in full */
	/* Field and message texts are stored once (a hash set over the arena): the same warning
	 * raised by 10,000 services costs 10,000 small items, not 10,000 copies of its text. */
	const char **texts;
	size_t ntexts, texts_cap;
};

void diags_init(struct diags *d, struct arena *a);
void diag_report(struct diags *d, enum diag_level lvl, struct loc loc, const char *field,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define diag_error(d, loc, field, ...) diag_report((d), DIAG_ERROR, (loc), (field), __VA_ARGS__)
#define diag_warn(d, loc, field, ...) diag_report((d), DIAG_WARNING, (loc), (field), __VA_ARGS__)
#define diag_note(d, loc, field, ...) diag_report((d), DIAG_NOTE, (loc), (field), __VA_ARGS__)

/* True when the run must stop: any error, or any warning under --strict. */
bool diags_failed(const struct diags *d);
/* Sorted by file, line, column; then the report order. A warning or note repeated in many
 * places — same level, code, field and message, only the file or position differ, as when
 * every service of an app gets the same provider warning — is printed DIAG_GROUP_SHOWN times
 * in full and then as one line "... and N more of the same warning, in M other file(s)";
 * with d->all (-v) every one in full. Errors are always printed one by one: each is a place
 * that must change before anything is written. The counts and the machine formats
 * (diag_format.h) keep every diagnostic. */
#define DIAG_GROUP_SHOWN 3
void diags_print(struct diags *d, FILE *out);
void diags_sort(struct diags *d);
/* s with control characters shown escaped (\n, \r, \t, \x1b): messages quote user strings and
 * strings from a cluster, and a CR/LF or escape sequence in one must not start a forged
 * diagnostic line or drive the terminal. Returns s itself when it is clean (so applying it
 * twice changes nothing); NULL stays NULL. */
const char *diag_escape(struct arena *a, const char *s);
/* Formats one diagnostic line (without newline) into the arena. */
const char *diag_format(struct arena *a, const struct diag *dg, bool strict);
#endif
