/* generate's output, collected as each service is rendered: the bytes go to an unlinked
 * temporary file, so that a run of any size holds only their positions in memory, and
 * nothing reaches standard output or an output folder before the whole run has
 * succeeded (a failed run writes nothing: README "Safety rules"). */
#ifndef HS_SPOOL_H
#define HS_SPOOL_H
#include <stdbool.h>
#include <stdio.h>
#include "output.h"

enum spool_mode {
	SPOOL_STREAM,     /* --stdout: "---\n" and the text of every file, in order */
	SPOOL_JSON_LIST,  /* --stdout -o json: one kubectl List of every object */
	SPOOL_FILES,      /* -O / default folder: the files of each service, committed by output_commit */
};

struct spool {
	enum spool_mode mode;
	FILE *f;
	int fd;
	long long size;              /* bytes written so far */
	size_t items;                /* objects in the JSON list */
	struct out_dir *dirs;        /* SPOOL_FILES: one per service; files name their bytes */
	size_t ndirs, cap;
	struct arena *a;             /* outlives the spool: the dirs and their names */
	int err;                     /* errno of the first failure, 0 */
};

/* The temporary file is made in $TMPDIR (else /tmp) and never has a name there; false
 * (errno set) when it cannot be. */
bool spool_open(struct spool *sp, enum spool_mode mode, struct arena *a);
/* Appends one service's files (their text: YAML, or JSON for the JSON modes); false
 * once anything failed (sp->err). */
bool spool_service(struct spool *sp, const char *service, const struct out_file *files, size_t n);
/* SPOOL_STREAM and SPOOL_JSON_LIST: copies everything to out; false (errno) on failure. */
bool spool_copy_to(struct spool *sp, FILE *out);
void spool_close(struct spool *sp);
#endif
