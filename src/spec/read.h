/* From a parsed YAML document to the typed spec: type checks with positions, unknown
 * fields with a did-you-mean hint, HyScale's value syntaxes (ports, props). */
#ifndef HS_READ_H
#define HS_READ_H
#include "spec.h"
#include "yaml.h"

/* Fills *s from the document of yf. Reports problems to d; the spec is always usable
 * (fields with wrong types are left absent). */
void spec_read(struct spec *s, struct yfile *yf, struct arena *a, struct diags *d);

/* "8080", "8080/http", 8080 → number and protocol; false when not of that form. */
bool port_parse(const char *text, long *number, enum port_proto *proto);
const char *proto_name(enum port_proto p);
#endif
