/* The app-level step of a run (README "One entry point per app"): after every service is
 * rendered, the conflicts between the services that share an entry point are reported and
 * the shared objects are rendered as extra outputs, one folder per environment. */
#ifndef HS_APP_ENTRY_H
#define HS_APP_ENTRY_H
#include "pipeline.h"

#define APP_ENTRY_FOLDER "_gateway"   /* + "-<env>": no service name starts with '_' */

/* Groups the services' copies v and reports their conflicts in r->diags; with render and
 * a run that has not failed, renders the shared outputs (marked shared, in r->arena) into
 * *out and returns how many. */
size_t app_entry_render(struct run *r, struct ep_svc *const *v, size_t n, bool render, struct rendered **out);
/* run_pipeline's step: reads r->out[].entry; with render, appends the shared outputs to r->out. */
void app_entrypoints(struct run *r, bool render);
#endif
