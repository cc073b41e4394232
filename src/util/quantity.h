/* Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity syntax):
 * 500m, 0.5, 128Mi, 1G, 1e3. Parsed to a number so ranges can be compared. */
#ifndef HS_QUANTITY_H
#define HS_QUANTITY_H
#include <stdbool.h>

/* True when s is a valid non-negative quantity; *value receives it in base units. */
bool quantity_parse(const char *s, long double *value);
/* A hint for a near miss (1g → 1Gi, 512mb → 512Mi), or NULL. */
const char *quantity_hint(const char *s);
#endif
