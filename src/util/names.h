/* Kubernetes naming rules: normalising HyScale names into object names and label values,
 * and the DNS checks the API server applies (so we refuse what it would refuse). */
#ifndef HS_NAMES_H
#define HS_NAMES_H
#include <stdbool.h>
#include <stddef.h>
#include "arena.h"

/* HyScale's normalisation, made DNS-safe: lower-case, trim, runs of '.', ' ' and '_' become
 * one '-', other characters outside [a-z0-9-] dropped. May return "" or an invalid name:
 * callers check with is_dns_label(). The one normaliser for object names and for the
 * label values that select pods: a valid DNS label is a valid label value, and two names
 * that differ in one are different in the other. */
char *name_normalize(struct arena *a, const char *s);
/* The first character name_normalize() would drop rather than map (anything but ASCII
 * letters and digits, '-', '.', '_', spaces and tabs inside), or NULL: such a name is
 * refused, so that no two names the user told apart silently become one. */
const char *name_dropped(const char *s);
/* Bytes of the UTF-8 character at s (1 for a byte that does not start one), for messages. */
int utf8_len(const char *s);

bool is_dns_label(const char *s);       /* RFC 1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, <= 63 */
bool is_dns1035_label(const char *s);   /* as above, starting with a letter (Service names) */
bool is_dns_subdomain(const char *s);   /* dot-separated labels, <= 253 */
/* Host for Ingress/Gateway: DNS subdomain, optional leading "*." wildcard; never an IP. */
bool is_wildcard_dns_subdomain(const char *s);
bool looks_like_ip(const char *s);
bool is_label_value(const char *s);
bool is_label_key(const char *s);       /* [prefix/]name as Kubernetes qualified names */
bool is_http_token(const char *s);      /* RFC 9110 token, for header names */

/* Levenshtein distance, capped: returns > cap when farther. */
size_t edit_distance(const char *a, const char *b, size_t cap);
#endif
