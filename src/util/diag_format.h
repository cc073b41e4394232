/* Diagnostics for machines: --diagnostics=json (hyscale's own document) and
 * --diagnostics=sarif (SARIF 2.1.0, for code scanning), written through libfyaml's JSON
 * emitter; text stays diags_print(). */
#ifndef HS_DIAG_FORMAT_H
#define HS_DIAG_FORMAT_H
#include <stdbool.h>
#include <stdio.h>
#include "diag.h"

enum diag_output { DIAG_OUT_TEXT, DIAG_OUT_JSON, DIAG_OUT_SARIF };

/* "text", "json" or "sarif"; false for anything else. */
bool diag_output_parse(const char *s, enum diag_output *o);
/* Sorts and writes every diagnostic of d in the format; false on a write error. */
bool diags_emit(struct diags *d, enum diag_output o, FILE *out);
#endif
