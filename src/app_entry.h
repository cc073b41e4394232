/* The app-level step of a run (README "One entry point per app"): after every service is
 * rendered, the conflicts between the services that share an entry point are reported and
 * the shared objects are rendered as extra outputs, one folder per environment. */
#ifndef HS_APP_ENTRY_H
#define HS_APP_ENTRY_H
#include "pipeline.h"

#define APP_ENTRY_FOLDER "_gateway"   /* + "-<env>": no service name starts with '_' */

/* Reads r->out[].entry; with render, appends the shared outputs to r->out (marked shared). */
void app_entrypoints(struct run *r, bool render);
#endif
