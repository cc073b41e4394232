/* The ConfigMaps and Secrets of a service (props, secrets, agents'), the
 * HorizontalPodAutoscaler and the NetworkPolicy. */
#ifndef HS_CONFIG_H
#define HS_CONFIG_H
#include "../model/service.h"
#include "manifest.h"

void build_configs(const struct svc_model *m, struct manifests *ms);
/* autoscaling/v2, when replicas has max and cpuThreshold. */
void build_autoscaler(const struct svc_model *m, struct manifests *ms);
/* networking.k8s.io/v1, when allowTraffic is given. */
void build_network_policy(const struct svc_model *m, struct manifests *ms, struct arena *a);
#endif
