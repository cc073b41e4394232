/* Deployment and Service for one service model. */
#ifndef HS_WORKLOAD_H
#define HS_WORKLOAD_H
#include "../model/service.h"
#include "manifest.h"

struct manifest *build_workload(const struct svc_model *m, struct manifests *ms);
/* NULL when the service declares no ports. */
struct manifest *build_service(const struct svc_model *m, struct manifests *ms);
#endif
