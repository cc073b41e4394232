/* Reading YAML input with positions and bounds: files are size-checked, parsed by libfyaml
 * (depth is its check; duplicate keys are ours), and every node visit is counted so that
 * aliases cannot expand without limit. */
#ifndef HS_YAML_H
#define HS_YAML_H
#include <stdbool.h>
#include <stddef.h>
#include <libfyaml.h>
#include "../util/diag.h"

#define HS_MAX_FILE_BYTES (4u * 1024 * 1024)  /* a spec, profile or snippet file */
#define HS_MAX_NODE_VISITS 200000u             /* nodes read through aliases, per file */
#define HS_MAX_DEPTH 64                        /* libfyaml's nesting limit */
/* Counts, so that no check that compares pairs (duplicate hosts, headers, paths, service
 * names) can be driven into minutes of work by a large input. Documented in README. */
#define HS_MAX_ITEMS 1000u                     /* entries of one list or mapping in a file */
#define HS_MAX_ROUTES 1000u                    /* context paths of one service, all mappings */
#define HS_MAX_SPECS 10000u                    /* service specs in one run */
#define HS_MAX_HOST_ROUTES 5000u               /* hosts × context paths of one service */
/* etcd's default --max-request-bytes (1.5 MiB) bounds every stored object, and the API
 * server reads at most 3 MiB of a request. The YAML text is measured: it is what
 * `kubectl apply` and hyscale deploy send, and our block style is no smaller than the
 * JSON or protobuf that is stored (indentation against quotes and braces). */
#define HS_MAX_OBJECT_BYTES (1536u * 1024)
/* apimachinery's TotalAnnotationSizeLimitB: keys and values of one object's (or one pod
 * template's) annotations, in bytes. */
#define HS_MAX_ANNOTATION_BYTES (256u * 1024)


/* A subtree merged in from another file (a profile): positions inside it name that file. */
struct yorigin { struct fy_node *node; const char *path; };

struct yfile {
	const char *path;          /* as given, used in diagnostics */
	struct yorigin *origins;   /* malloc'd hash set; see yfile_add_origin() */
	size_t norigins, origins_cap;
	struct fy_document *doc;   /* NULL when the file could not be parsed */
	char *text;                /* file bytes (malloc), owned */
	size_t len;                /* of text */
	size_t visits;             /* alias expansion guard */
	bool budget_reported;
	bool stream;               /* standard input or a pipe: its name says nothing of the service */
};

/* The name `-f -` gets in diagnostics. */
#define HS_STDIN_NAME "<stdin>"

/* Reads and parses one file ("-": standard input; FIFOs too); reports every problem to d. Returns false on failure
 * (the yfile must still be released). `what` names the kind of file in messages. */
bool yfile_load(struct yfile *yf, const char *path, const char *what, struct diags *d);
/* The same from an open descriptor (closed here), e.g. one confined_open() gave. */
bool yfile_load_fd(struct yfile *yf, int fd, const char *path, const char *what, struct diags *d);
void yfile_release(struct yfile *yf);
/* Records that node (and everything below it) was copied from the file `path`; yloc()
 * then reports positions in it against that file. The node keeps its source marks.
 * Mapping keys have no parent link in libfyaml, so copied keys are recorded one by one. */
void yfile_add_origin(struct yfile *yf, struct fy_node *node, const char *path);
/* The file a node of yf's document was written in. */
const char *yfile_origin(const struct yfile *yf, struct fy_node *n);

/* A node with aliases resolved and the visit counted; NULL for a missing node, a bad
 * alias or an exhausted budget (those two are reported). */
struct fy_node *ynode(struct yfile *yf, struct fy_node *n, struct diags *d, struct loc at);
/* Position of a node: scalars their own token, collections their first key or item. */
struct loc yloc(const struct yfile *yf, struct fy_node *n);
/* Scalar text (NUL terminated, owned by the document) or NULL. */
const char *yscalar(struct fy_node *n, size_t *len);
/* True for plain scalars that YAML resolves to null (~, null, empty). */
bool yis_null(struct fy_node *n);
/* Plain or quoted? Quoted scalars are always strings. */
bool yis_quoted(struct fy_node *n);
const char *ytype_name(struct fy_node *n);
#endif
