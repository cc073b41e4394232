/* Container image references as the runtimes parse them (the distribution/reference
 * grammar that containerd and CRI-O use): a reference the kubelet cannot parse is
 * InvalidImageName on the node, so it is refused at the spec line instead. */
#ifndef HS_IMAGEREF_H
#define HS_IMAGEREF_H
#include <stdbool.h>
#include <stddef.h>

#define IMAGEREF_NAME_MAX 255   /* NameTotalLengthMax: domain and path together */
#define IMAGEREF_TAG_MAX 128

/* Each returns NULL when valid, else why not: a clause to follow "...: " (static). */
const char *imageref_name_error(const char *name, size_t len);   /* [domain[:port]/]path */
const char *imageref_tag_error(const char *tag, size_t len);     /* [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} */
const char *imageref_digest_error(const char *digest);           /* sha256:<64 hex> | sha384 | sha512 */
/* A whole reference name[:tag][@digest]. */
const char *imageref_error(const char *ref);
#endif
