/* Building manifest trees with libfyaml. Every string goes through yb_str(), which picks
 * a plain scalar only when YAML cannot read it as anything but that string, and lets
 * libfyaml quote and escape everything else; numbers and booleans are plain on purpose. */
#ifndef HS_YB_H
#define HS_YB_H
#include <stdbool.h>
#include <stdint.h>
#include <libfyaml.h>

struct yb {
	struct fy_document *doc;
	struct fy_parser *evp;  /* only used to make styled scalar events */
	struct fy_diag *diag;   /* for every libfyaml object made for this tree (see manifests_init) */
	bool lossy;             /* a string could not be stored exactly: rendering refuses */
};

/* The meta pointer of every double-quoted scalar yb_strnode() makes. libfyaml writes
 * such a scalar with all but printable characters escaped; one read from a k8s snippet
 * may be written as it was read. The writer (src/emit/yaml_write.c) tells them apart by it. */
extern const char yb_escaped_mark;
#define YB_ESCAPED ((void *)(uintptr_t)&yb_escaped_mark)

/* True if the string may be written as a plain scalar and read back as the same string. */
bool yb_plain_safe(const char *s);
/* Frees what this thread cached while building trees (a thread that built any calls it
 * before it ends). */
void yb_thread_done(void);

struct fy_node *yb_map(struct yb *b);
struct fy_node *yb_seq(struct yb *b);
struct fy_node *yb_strnode(struct yb *b, const char *s);
struct fy_node *yb_intnode(struct yb *b, long v);

void yb_put(struct yb *b, struct fy_node *map, const char *key, struct fy_node *val);
void yb_str(struct yb *b, struct fy_node *map, const char *key, const char *val);
void yb_int(struct yb *b, struct fy_node *map, const char *key, long v);
void yb_bool(struct yb *b, struct fy_node *map, const char *key, bool v);
struct fy_node *yb_child_map(struct yb *b, struct fy_node *map, const char *key);
struct fy_node *yb_child_seq(struct yb *b, struct fy_node *map, const char *key);
/* The value (pair) under key, or NULL. */
struct fy_node *yb_get(struct fy_node *map, const char *key);
struct fy_node_pair *yb_get_pair(struct fy_node *map, const char *key);
/* Existing child mapping, or a new one appended under key. */
struct fy_node *yb_ensure_map(struct yb *b, struct fy_node *map, const char *key);

void yb_push(struct fy_node *seq, struct fy_node *item);
void yb_push_str(struct yb *b, struct fy_node *seq, const char *s);
struct fy_node *yb_push_map(struct yb *b, struct fy_node *seq);
#endif
