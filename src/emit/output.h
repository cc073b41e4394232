/* Writing generated files all-or-nothing: every service's files go to a temporary
 * sibling folder first; only when all of them are written are the folders swapped in,
 * so a failed run leaves the previous manifests as they were. */
#ifndef HS_OUTPUT_H
#define HS_OUTPUT_H
#include <stdbool.h>
#include <stddef.h>
#include "../util/diag.h"
#include "../util/sbuf.h"

struct out_file { const char *name; struct sbuf text; };
struct out_dir {
	const char *path;            /* final folder */
	struct out_file *files;
	size_t n, cap;
};

/* mkdir -p */
bool mkdirs(const char *path, struct diags *d);
/* Writes every folder or none; reports failures to d. */
bool output_commit(struct out_dir *dirs, size_t n, struct diags *d, struct arena *a);
/* Removes a folder tree (used for the temporary and the replaced folders). */
void rm_tree(const char *path);
#endif
