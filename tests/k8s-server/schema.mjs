// Field schemas of the built-in kinds the server serves, as data: property names and types, and
// for lists the merge semantics of the upstream API (x-kubernetes-list-type / -list-map-keys /
// -patch-merge-key / -patch-strategy, facts from the Kubernetes v1.32 OpenAPI). One table feeds the
// OpenAPI v3 documents, field validation (Strict/Warn/Ignore) and server-side apply's list merging.
// Kinds without a schema here (CRDs) preserve unknown fields, as a CRD without a schema would.
//
// Notation: 's' string, 'i' integer, 'b' boolean, 'n' number, 'ios' int-or-string, 'q' quantity,
// 'm' map of strings, 'any' free-form object; a capitalised name is a type below; L(item, opts) a
// list ({type: 'atomic' | 'set' | 'map', keys, mergeKey}); M(item) a map of item.
const L = (item, o = {}) => ({ list: item, type: o.type || (o.keys ? 'map' : 'atomic'), keys: o.keys, mergeKey: o.mergeKey, listTypeSet: !!o.declared });
const M = (item) => ({ map: item });
const S = L('s');

export const TYPES = {
  ObjectMeta: { name: 's', generateName: 's', namespace: 's', selfLink: 's', uid: 's', resourceVersion: 's',
    generation: 'i', creationTimestamp: 's', deletionTimestamp: 's', deletionGracePeriodSeconds: 'i', labels: 'm',
    annotations: 'm', ownerReferences: L('OwnerReference', { keys: ['uid'], mergeKey: 'uid', declared: true }),
    finalizers: L('s', { type: 'set', declared: true }), managedFields: L('ManagedFieldsEntry') },
  OwnerReference: { apiVersion: 's', kind: 's', name: 's', uid: 's', controller: 'b', blockOwnerDeletion: 'b' },
  ManagedFieldsEntry: { manager: 's', operation: 's', apiVersion: 's', time: 's', fieldsType: 's', fieldsV1: 'any', subresource: 's' },
  LabelSelector: { matchLabels: 'm', matchExpressions: L('LabelSelectorRequirement') },
  LabelSelectorRequirement: { key: 's', operator: 's', values: S },
  Condition: { type: 's', status: 's', observedGeneration: 'i', lastProbeTime: 's', lastUpdateTime: 's', lastTransitionTime: 's', reason: 's', message: 's' },

  Deployment: { apiVersion: 's', kind: 's', metadata: 'ObjectMeta', spec: 'DeploymentSpec', status: 'DeploymentStatus' },
  DeploymentSpec: { replicas: 'i', selector: 'LabelSelector', template: 'PodTemplateSpec', strategy: 'DeploymentStrategy',
    minReadySeconds: 'i', revisionHistoryLimit: 'i', paused: 'b', progressDeadlineSeconds: 'i' },
  DeploymentStrategy: { type: 's', rollingUpdate: { maxUnavailable: 'ios', maxSurge: 'ios' } },
  DeploymentStatus: { observedGeneration: 'i', replicas: 'i', updatedReplicas: 'i', readyReplicas: 'i', availableReplicas: 'i',
    unavailableReplicas: 'i', terminatingReplicas: 'i', collisionCount: 'i',
    conditions: L('Condition', { keys: ['type'], mergeKey: 'type', declared: true }) },
  ReplicaSet: { apiVersion: 's', kind: 's', metadata: 'ObjectMeta', spec: 'ReplicaSetSpec', status: 'ReplicaSetStatus' },
  ReplicaSetSpec: { replicas: 'i', minReadySeconds: 'i', selector: 'LabelSelector', template: 'PodTemplateSpec' },
  ReplicaSetStatus: { replicas: 'i', fullyLabeledReplicas: 'i', readyReplicas: 'i', availableReplicas: 'i', terminatingReplicas: 'i',
    observedGeneration: 'i', conditions: L('Condition', { keys: ['type'], mergeKey: 'type', declared: true }) },
  StatefulSet: { apiVersion: 's', kind: 's', metadata: 'ObjectMeta', spec: 'StatefulSetSpec', status: 'StatefulSetStatus' },
  StatefulSetSpec: { replicas: 'i', selector: 'LabelSelector', template: 'PodTemplateSpec',
    volumeClaimTemplates: L('PersistentVolumeClaim'), serviceName: 's', podManagementPolicy: 's',
    updateStrategy: { type: 's', rollingUpdate: { partition: 'i', maxUnavailable: 'ios' } }, revisionHistoryLimit: 'i',
    minReadySeconds: 'i', persistentVolumeClaimRetentionPolicy: { whenDeleted: 's', whenScaled: 's' }, ordinals: { start: 'i' } },
  StatefulSetStatus: { observedGeneration: 'i', replicas: 'i', readyReplicas: 'i', currentReplicas: 'i', updatedReplicas: 'i',
    currentRevision: 's', updateRevision: 's', collisionCount: 'i', availableReplicas: 'i',
    conditions: L('Condition', { keys: ['type'], mergeKey: 'type', declared: true }) },
  ControllerRevision: { apiVersion: 's', kind: 's', metadata: 'ObjectMeta', data: 'any', revision: 'i' },

  PodTemplateSpec: { metadata: 'ObjectMeta', spec: 'PodSpec' },
  PodSpec: {
    volumes: L('Volume', { keys: ['name'], mergeKey: 'name', declared: true }),
    initContainers: L('Container', { keys: ['name'], mergeKey: 'name', declared: true }),
    containers: L('Container', { keys: ['name'], mergeKey: 'name', declared: true }),
    ephemeralContainers: L('any', { keys: ['name'], mergeKey: 'name', declared: true }),
    restartPolicy: 's', terminationGracePeriodSeconds: 'i', activeDeadlineSeconds: 'i', dnsPolicy: 's', nodeSelector: 'm',
    serviceAccountName: 's', serviceAccount: 's', automountServiceAccountToken: 'b', nodeName: 's', hostNetwork: 'b',
    hostPID: 'b', hostIPC: 'b', shareProcessNamespace: 'b', securityContext: 'PodSecurityContext',
    imagePullSecrets: L({ name: 's' }, { keys: ['name'], mergeKey: 'name', declared: true }), hostname: 's', subdomain: 's',
    affinity: 'any', schedulerName: 's', tolerations: L('any'),
    hostAliases: L({ ip: 's', hostnames: S }, { keys: ['ip'], mergeKey: 'ip', declared: true }), priorityClassName: 's',
    priority: 'i', dnsConfig: 'any', readinessGates: L({ conditionType: 's' }), runtimeClassName: 's', enableServiceLinks: 'b',
    preemptionPolicy: 's', overhead: M('q'),
    topologySpreadConstraints: L('any', { keys: ['topologyKey', 'whenUnsatisfiable'], mergeKey: 'topologyKey', declared: true }),
    setHostnameAsFQDN: 'b', os: { name: 's' }, hostUsers: 'b',
    schedulingGates: L({ name: 's' }, { keys: ['name'], mergeKey: 'name', declared: true }),
    resourceClaims: L('any', { keys: ['name'], mergeKey: 'name', declared: true }), resources: 'ResourceRequirements' },
  Container: { name: 's', image: 's', command: S, args: S, workingDir: 's',
    ports: L('ContainerPort', { keys: ['containerPort', 'protocol'], mergeKey: 'containerPort', declared: true }),
    envFrom: L('EnvFromSource'), env: L('EnvVar', { keys: ['name'], mergeKey: 'name' }),
    resources: 'ResourceRequirements', resizePolicy: L({ resourceName: 's', restartPolicy: 's' }), restartPolicy: 's',
    volumeMounts: L('VolumeMount', { keys: ['mountPath'], mergeKey: 'mountPath' }),
    volumeDevices: L({ name: 's', devicePath: 's' }, { keys: ['devicePath'], mergeKey: 'devicePath' }),
    livenessProbe: 'Probe', readinessProbe: 'Probe', startupProbe: 'Probe', lifecycle: 'any', terminationMessagePath: 's',
    terminationMessagePolicy: 's', imagePullPolicy: 's', securityContext: 'SecurityContext', stdin: 'b', stdinOnce: 'b', tty: 'b' },
  ContainerPort: { name: 's', hostPort: 'i', containerPort: 'i', protocol: 's', hostIP: 's' },
  EnvVar: { name: 's', value: 's', valueFrom: {
    fieldRef: { apiVersion: 's', fieldPath: 's' }, resourceFieldRef: { containerName: 's', resource: 's', divisor: 'q' },
    configMapKeyRef: { name: 's', key: 's', optional: 'b' }, secretKeyRef: { name: 's', key: 's', optional: 'b' } } },
  EnvFromSource: { prefix: 's', configMapRef: { name: 's', optional: 'b' }, secretRef: { name: 's', optional: 'b' } },
  ResourceRequirements: { limits: M('q'), requests: M('q'), claims: L({ name: 's', request: 's' }, { keys: ['name'], declared: true }) },
  VolumeMount: { name: 's', readOnly: 'b', recursiveReadOnly: 's', mountPath: 's', subPath: 's', mountPropagation: 's', subPathExpr: 's' },
  Probe: { exec: { command: S },
    httpGet: { path: 's', port: 'ios', host: 's', scheme: 's', httpHeaders: L({ name: 's', value: 's' }) },
    tcpSocket: { port: 'ios', host: 's' }, grpc: { port: 'i', service: 's' }, initialDelaySeconds: 'i', timeoutSeconds: 'i',
    periodSeconds: 'i', successThreshold: 'i', failureThreshold: 'i', terminationGracePeriodSeconds: 'i' },
  SecurityContext: { capabilities: { add: S, drop: S }, privileged: 'b', seLinuxOptions: 'any', windowsOptions: 'any',
    runAsUser: 'i', runAsGroup: 'i', runAsNonRoot: 'b', readOnlyRootFilesystem: 'b', allowPrivilegeEscalation: 'b',
    procMount: 's', seccompProfile: { type: 's', localhostProfile: 's' }, appArmorProfile: { type: 's', localhostProfile: 's' } },
  PodSecurityContext: { seLinuxOptions: 'any', windowsOptions: 'any', runAsUser: 'i', runAsGroup: 'i', runAsNonRoot: 'b',
    supplementalGroups: L('i'), supplementalGroupsPolicy: 's', fsGroup: 'i', sysctls: L({ name: 's', value: 's' }),
    fsGroupChangePolicy: 's', seccompProfile: { type: 's', localhostProfile: 's' },
    appArmorProfile: { type: 's', localhostProfile: 's' }, seLinuxChangePolicy: 's' },
  KeyToPath: { key: 's', path: 's', mode: 'i' },
  Volume: { name: 's',
    configMap: { name: 's', items: L('KeyToPath'), defaultMode: 'i', optional: 'b' },
    secret: { secretName: 's', items: L('KeyToPath'), defaultMode: 'i', optional: 'b' },
    emptyDir: { medium: 's', sizeLimit: 'q' }, persistentVolumeClaim: { claimName: 's', readOnly: 'b' },
    hostPath: { path: 's', type: 's' }, projected: 'any', downwardAPI: 'any', csi: 'any', ephemeral: 'any', nfs: 'any',
    image: { reference: 's', pullPolicy: 's' } },

  Pod: { apiVersion: 's', kind: 's', metadata: 'ObjectMeta', spec: 'PodSpec', status: 'any' },
  Service: { apiVersion: 's', kind: 's', metadata: 'ObjectMeta', spec: 'ServiceSpec', status: 'any' },
  ServiceSpec: { ports: L('ServicePort', { keys: ['port', 'protocol'], mergeKey: 'port', declared: true }), selector: 'm',
    clusterIP: 's', clusterIPs: S, type: 's', externalIPs: S, sessionAffinity: 's', loadBalancerIP: 's',
    loadBalancerSourceRanges: S, externalName: 's', externalTrafficPolicy: 's', healthCheckNodePort: 'i',
    publishNotReadyAddresses: 'b', sessionAffinityConfig: 'any', ipFamilies: S, ipFamilyPolicy: 's',
    allocateLoadBalancerNodePorts: 'b', loadBalancerClass: 's', internalTrafficPolicy: 's', trafficDistribution: 's' },
  ServicePort: { name: 's', protocol: 's', appProtocol: 's', port: 'i', targetPort: 'ios', nodePort: 'i' },
  ConfigMap: { apiVersion: 's', kind: 's', metadata: 'ObjectMeta', data: 'm', binaryData: 'm', immutable: 'b' },
  Secret: { apiVersion: 's', kind: 's', metadata: 'ObjectMeta', data: 'm', stringData: 'm', type: 's', immutable: 'b' },
  Namespace: { apiVersion: 's', kind: 's', metadata: 'ObjectMeta', spec: { finalizers: S }, status: 'any' },
  ServiceAccount: { apiVersion: 's', kind: 's', metadata: 'ObjectMeta', secrets: L('any', { mergeKey: 'name' }),
    imagePullSecrets: L({ name: 's' }), automountServiceAccountToken: 'b' },
  PersistentVolumeClaim: { apiVersion: 's', kind: 's', metadata: 'ObjectMeta', spec: {
    accessModes: S, selector: 'LabelSelector', resources: { limits: M('q'), requests: M('q') }, volumeName: 's',
    storageClassName: 's', volumeMode: 's', dataSource: 'any', dataSourceRef: 'any', volumeAttributesClassName: 's' }, status: 'any' },
  HorizontalPodAutoscaler: { apiVersion: 's', kind: 's', metadata: 'ObjectMeta', spec: {
    scaleTargetRef: { apiVersion: 's', kind: 's', name: 's' }, minReplicas: 'i', maxReplicas: 'i',
    metrics: L({ type: 's', resource: { name: 's', target: 'MetricTarget' },
      containerResource: { name: 's', container: 's', target: 'MetricTarget' }, pods: 'any', object: 'any', external: 'any' }),
    behavior: 'any' }, status: 'any' },
  MetricTarget: { type: 's', value: 'q', averageValue: 'q', averageUtilization: 'i' },
  Ingress: { apiVersion: 's', kind: 's', metadata: 'ObjectMeta', spec: {
    ingressClassName: 's', defaultBackend: 'IngressBackend', tls: L({ hosts: S, secretName: 's' }),
    rules: L({ host: 's', http: { paths: L({ path: 's', pathType: 's', backend: 'IngressBackend' }) } }) }, status: 'any' },
  IngressBackend: { service: { name: 's', port: { name: 's', number: 'i' } }, resource: { apiGroup: 's', kind: 's', name: 's' } },
  NetworkPolicy: { apiVersion: 's', kind: 's', metadata: 'ObjectMeta', spec: {
    podSelector: 'LabelSelector', policyTypes: S,
    ingress: L({ ports: L('NetworkPolicyPort'), from: L('NetworkPolicyPeer') }),
    egress: L({ ports: L('NetworkPolicyPort'), to: L('NetworkPolicyPeer') }) }, status: 'any' },
  NetworkPolicyPort: { protocol: 's', port: 'ios', endPort: 'i' },
  NetworkPolicyPeer: { podSelector: 'LabelSelector', namespaceSelector: 'LabelSelector', ipBlock: { cidr: 's', except: S } },
  PodDisruptionBudget: { apiVersion: 's', kind: 's', metadata: 'ObjectMeta', spec: {
    minAvailable: 'ios', maxUnavailable: 'ios', selector: 'LabelSelector', unhealthyPodEvictionPolicy: 's' }, status: 'any' },
  ClusterRole: { apiVersion: 's', kind: 's', metadata: 'ObjectMeta', aggregationRule: 'any',
    rules: L({ verbs: S, apiGroups: S, resources: S, resourceNames: S, nonResourceURLs: S }) },
  Scale: { apiVersion: 's', kind: 's', metadata: 'ObjectMeta', spec: { replicas: 'i' }, status: { replicas: 'i', selector: 's' } },
};

// The OpenAPI component name of each type: the upstream names, for clients that look them up.
const PKG = {
  ObjectMeta: 'io.k8s.apimachinery.pkg.apis.meta.v1', OwnerReference: 'io.k8s.apimachinery.pkg.apis.meta.v1',
  ManagedFieldsEntry: 'io.k8s.apimachinery.pkg.apis.meta.v1', LabelSelector: 'io.k8s.apimachinery.pkg.apis.meta.v1',
  LabelSelectorRequirement: 'io.k8s.apimachinery.pkg.apis.meta.v1', Condition: 'io.k8s.apimachinery.pkg.apis.meta.v1',
  Deployment: 'io.k8s.api.apps.v1', DeploymentSpec: 'io.k8s.api.apps.v1', DeploymentStrategy: 'io.k8s.api.apps.v1',
  DeploymentStatus: 'io.k8s.api.apps.v1', ReplicaSet: 'io.k8s.api.apps.v1', ReplicaSetSpec: 'io.k8s.api.apps.v1',
  ReplicaSetStatus: 'io.k8s.api.apps.v1', StatefulSet: 'io.k8s.api.apps.v1', StatefulSetSpec: 'io.k8s.api.apps.v1',
  StatefulSetStatus: 'io.k8s.api.apps.v1', ControllerRevision: 'io.k8s.api.apps.v1',
  HorizontalPodAutoscaler: 'io.k8s.api.autoscaling.v2', MetricTarget: 'io.k8s.api.autoscaling.v2',
  Scale: 'io.k8s.api.autoscaling.v1', Ingress: 'io.k8s.api.networking.v1', IngressBackend: 'io.k8s.api.networking.v1',
  NetworkPolicy: 'io.k8s.api.networking.v1', NetworkPolicyPort: 'io.k8s.api.networking.v1',
  NetworkPolicyPeer: 'io.k8s.api.networking.v1', PodDisruptionBudget: 'io.k8s.api.policy.v1',
  ClusterRole: 'io.k8s.api.rbac.v1',
};
export const componentName = (t) => `${PKG[t] || 'io.k8s.api.core.v1'}.${t}`;

// Resolves a node: a type name → its fields; an inline object stays; scalars stay strings.
export function resolve(node) {
  if (typeof node === 'string' && TYPES[node]) return TYPES[node];
  return node;
}
export const isList = (n) => n && typeof n === 'object' && 'list' in n;
export const isMap = (n) => n === 'm' || (n && typeof n === 'object' && 'map' in n);
export const isFields = (n) => n && typeof n === 'object' && !isList(n) && !('map' in n);
export const mapItem = (n) => (n === 'm' ? 's' : n.map);

// Paths of fields the schema does not know ("spec.template.spec.containers[0].imagePullPolcy").
export function unknownFields(obj, node, path = '', out = []) {
  node = resolve(node);
  if (node === 'any' || node == null || obj == null) return out;
  if (isList(node)) {
    if (Array.isArray(obj)) obj.forEach((v, i) => unknownFields(v, node.list, `${path}[${i}]`, out));
    return out;
  }
  if (isMap(node)) {
    if (typeof obj === 'object' && !Array.isArray(obj))
      for (const [k, v] of Object.entries(obj)) unknownFields(v, mapItem(node), `${path}[${k}]`, out);
    return out;
  }
  if (isFields(node) && typeof obj === 'object' && !Array.isArray(obj))
    for (const [k, v] of Object.entries(obj)) {
      const p = path ? `${path}.${k}` : k;
      if (!(k in node)) out.push(p);
      else unknownFields(v, node[k], p, out);
    }
  return out;
}

// Drops the fields the schema does not know, as the API server's decoder does (Warn, Ignore).
export function pruneUnknown(obj, node) {
  node = resolve(node);
  if (node === 'any' || node == null || obj == null || typeof obj !== 'object') return;
  if (isList(node)) { if (Array.isArray(obj)) for (const v of obj) pruneUnknown(v, node.list); return; }
  if (isMap(node)) { for (const v of Object.values(obj)) pruneUnknown(v, mapItem(node)); return; }
  if (Array.isArray(obj)) return;
  for (const k of Object.keys(obj)) { if (!(k in node)) delete obj[k]; else pruneUnknown(obj[k], node[k]); }
}

// Type errors the API server's decoder reports (a string where an integer belongs, …).
export function typeErrors(obj, node, path = '', out = []) {
  node = resolve(node);
  if (obj == null || node === 'any' || node == null) return out;
  const bad = (want) => out.push({ field: path, message: `Invalid value: ${JSON.stringify(obj)}: ${path} in body must be of type ${want}` });
  if (node === 's') { if (typeof obj !== 'string') bad('string'); return out; }
  if (node === 'i') { if (!Number.isInteger(obj)) bad('integer'); return out; }
  if (node === 'n') { if (typeof obj !== 'number') bad('number'); return out; }
  if (node === 'b') { if (typeof obj !== 'boolean') bad('boolean'); return out; }
  if (node === 'ios' || node === 'q') { if (typeof obj !== 'string' && !Number.isInteger(obj) && !(node === 'q' && typeof obj === 'number')) bad('string or integer'); return out; }
  if (isList(node)) { if (!Array.isArray(obj)) bad('array'); else obj.forEach((v, i) => typeErrors(v, node.list, `${path}[${i}]`, out)); return out; }
  if (typeof obj !== 'object' || Array.isArray(obj)) { bad('object'); return out; }
  if (isMap(node)) { for (const [k, v] of Object.entries(obj)) typeErrors(v, mapItem(node), `${path}.${k}`, out); return out; }
  for (const [k, v] of Object.entries(obj)) if (k in node) typeErrors(v, node[k], path ? `${path}.${k}` : k, out);
  return out;
}

// OpenAPI v3 schema of a node; inline objects become inline schemas, named types $refs.
export function openapiSchema(node) {
  if (typeof node === 'string') {
    if (TYPES[node]) return { allOf: [{ $ref: `#/components/schemas/${componentName(node)}` }] };
    return {
      s: { type: 'string' }, i: { type: 'integer', format: 'int32' }, n: { type: 'number' }, b: { type: 'boolean' },
      ios: { 'x-kubernetes-int-or-string': true }, q: { 'x-kubernetes-int-or-string': true },
      m: { type: 'object', additionalProperties: { type: 'string', default: '' } },
      any: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    }[node];
  }
  if (isList(node)) {
    const s = { type: 'array', items: openapiSchema(node.list) };
    if (node.listTypeSet || node.type !== 'atomic') s['x-kubernetes-list-type'] = node.type;
    if (node.keys) s['x-kubernetes-list-map-keys'] = node.keys;
    if (node.mergeKey) { s['x-kubernetes-patch-merge-key'] = node.mergeKey; s['x-kubernetes-patch-strategy'] = 'merge'; }
    else if (node.type === 'set') s['x-kubernetes-patch-strategy'] = 'merge';
    return s;
  }
  if (isMap(node)) return { type: 'object', additionalProperties: openapiSchema(node.map) };
  return { type: 'object', properties: Object.fromEntries(Object.entries(node).map(([k, v]) => [k, openapiSchema(v)])) };
}
