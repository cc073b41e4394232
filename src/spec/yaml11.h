/* What YAML 1.1 readers read differently from the YAML 1.2 we write. libfyaml reads and
 * writes YAML 1.2; go-yaml — kubectl, the API server, Argo CD, Flux, kustomize — follows
 * YAML 1.1: U+0085, U+2028 and U+2029 end a line there, it refuses raw C1 controls, and
 * its resolver types plain scalars such as `on`, `y`, `0755`, `1_000` or `1e3` otherwise.
 * Every rendered file is checked with these (src/emit/yaml_out.c), as are snippet files
 * (their scalars are copied into manifests with the style they were written in). */
#ifndef HS_YAML11_H
#define HS_YAML11_H
#include <stdbool.h>
#include <stddef.h>

/* Offset of the first character in s[0..n) that must never be written raw (only escaped in
 * a double-quoted scalar): C0 controls but tab and LF, DEL, C1 controls (U+0085 among
 * them), U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF, and bytes that are not UTF-8. n if none.
 * *cp (may be NULL) gets the code point found (a byte that is not UTF-8: that byte). */
size_t yaml11_raw_unsafe(const char *s, size_t n, unsigned long *cp);

/* NULL when the plain scalar s[0..n) means the same to a YAML 1.2 (core schema) reader
 * and to a YAML 1.1 / go-yaml reader, else what the 1.1 reader makes of it
 * ("the boolean 'yes'", "an octal integer", ...). */
const char *yaml11_plain_differs(const char *s, size_t n);

struct yfile;
struct fy_node;
struct diags;
struct arena;
/* Errors at every scalar under n (a file read as YAML 1.2 whose scalars are copied into
 * manifests in the style they were written in) that a YAML 1.1 reader would read
 * otherwise: a plain scalar typed differently, or a character written raw that must be
 * escaped. `what` names the file in messages ("k8s snippet"). */
void yaml11_check_tree(const struct yfile *yf, struct fy_node *n, const char *what, struct arena *a,
		       struct diags *d);
#endif
