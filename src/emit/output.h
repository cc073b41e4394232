/* Writing generated files all-or-nothing: every service's files go to a temporary
 * sibling folder first; only when all of them are written are the folders swapped in,
 * so a failed run leaves the previous manifests as they were. Only folders hyscale wrote
 * (marked with OUTPUT_MARKER) are ever replaced or deleted, never through a link, and one
 * run at a time writes under an output root (README "Safety rules"). */
#ifndef HS_OUTPUT_H
#define HS_OUTPUT_H
#include <stdbool.h>
#include <stddef.h>
#include "../util/diag.h"
#include "../util/sbuf.h"

#define OUTPUT_MARKER ".hyscale"           /* in every service folder hyscale writes */
#define OUTPUT_LOCK ".hyscale.lock"        /* in the output root */
#define OUTPUT_LOCK_WAIT_S 10              /* how long a second run waits for the first */

struct out_file {
	const char *name;
	struct sbuf text;
	bool secret;                 /* written 0600 */
	long long spool_off;         /* with a spool (output_commit): where its bytes are */
	size_t spool_len;
};
struct out_dir {
	const char *path;            /* final folder */
	struct out_file *files;
	size_t n, cap;
};

/* mkdir -p */
bool mkdirs(const char *path, struct diags *d);
/* Writes every folder or none, holding the lock of `root` (an ancestor of every folder);
 * reports failures and refusals to d. The files' bytes are their text, or with spool >= 0
 * spool_len bytes at spool_off of that file (spool.h). */
bool output_commit(const char *root, struct out_dir *dirs, size_t n, int spool, struct diags *d, struct arena *a);
#endif
