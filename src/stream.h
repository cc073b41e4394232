/* generate's run, service by service: each spec is loaded, checked, rendered, handed to
 * the spool and freed before memory is taken for many more, so that memory does not grow
 * with the number of services; `jobs` threads render services side by side, within a
 * bounded window. Output and diagnostics are those of run_pipeline (pipeline.h), byte
 * for byte and in the same order, whatever the number of jobs: what must outlive a
 * service (its diagnostics, the summary the checks across services compare) is kept in
 * a run-lifetime arena of the thread that rendered it and merged in service order. */
#ifndef HS_STREAM_H
#define HS_STREAM_H
#include "emit/spool.h"
#include "pipeline.h"

#define HS_MAX_JOBS 64

/* The number of online cores (at least 1, at most HS_MAX_JOBS). */
unsigned jobs_default(void);
/* A rendered service's files as JSON (<kind>.json); false when one cannot be read back. */
bool rendered_to_json(struct rendered *out, struct arena *a);
/* Runs every spec of paths (not with -p profiles, which are matched across the whole run:
 * run_pipeline does those). Services that pass go to sp in service order while the run has
 * failed nowhere so far; r->diags ends with every diagnostic of the run. *json_failed is set
 * when a manifest could not be written as JSON. Returns false when the run must fail. */
bool run_stream(struct run *r, const char *const *paths, size_t n, unsigned jobs, bool json, struct spool *sp,
		bool *json_failed);
#endif
