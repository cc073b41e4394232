/* Kubernetes naming rules: normalising HyScale names into object names and label values,
 * and the DNS checks the API server applies (so we refuse what it would refuse). */
#ifndef HS_NAMES_H
#define HS_NAMES_H
#include <stdbool.h>
#include <stddef.h>
#include "arena.h"

/* HyScale's normalisation, made DNS-safe: lower-case, trim, runs of '.', ' ' and '_' become
 * one '-', other characters outside [a-z0-9-] dropped. May return "" or an invalid name:
 * callers check with is_dns_label(). */
char *name_normalize(struct arena *a, const char *s);
/* A valid label value (<= 63, [A-Za-z0-9._-], alphanumeric at both ends), or "" if nothing is left. */
char *label_value_normalize(struct arena *a, const char *s);

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
