/* Files a spec or profile includes by path (file(...) props, k8sSnippets): opened only
 * when, with `..` and symbolic links resolved, they lie inside the spec's folder tree or
 * that of the profile naming them (unless --allow-outside-files), and only when they are regular files on a
 * real file system — never a FIFO, socket or device, never /proc or /sys. The one check
 * both readers use (README "Safety rules"). */
#ifndef HS_CONFINE_H
#define HS_CONFINE_H
#include <stdbool.h>
#include <sys/stat.h>
#include "arena.h"

/* The flag that lifts the folder rule, for messages. */
#define CONFINE_FLAG "--allow-outside-files"

/* Opens path (already joined to its folder when relative) for reading when it lies inside
 * the service spec's folder tree or that of the file naming it (a profile may live
 * elsewhere); naming may be NULL. Returns the descriptor, with *st filled, or -1 with *why
 * saying what is wrong (for "cannot read PATH: why"). */
int confined_open(const char *path, const char *spec_dir, const char *naming, bool allow_outside, struct stat *st,
		  const char **why, struct arena *a);
#endif
