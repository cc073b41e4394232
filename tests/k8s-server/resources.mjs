// The kinds the server serves, as discovery shows them: group/version, plural, Kind, scope,
// shortNames, categories, verbs and subresources, and whether the built-in schema (schema.mjs)
// applies. CRDs (schema null) keep unknown fields, as a CRD with a preserve-unknown-fields schema.
const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const r = (gv, plural, kind, namespaced, o = {}) => ({ gv, plural, kind, namespaced, shortNames: o.short || [],
  categories: o.cat || [], verbs: o.verbs || RW, sub: o.sub || ['status'], schema: o.crd ? null : kind,
  singular: kind.toLowerCase() });

export const RESOURCES = [
  r('v1', 'namespaces', 'Namespace', false, { short: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }),
  r('v1', 'services', 'Service', true, { short: ['svc'], cat: ['all'] }),
  r('v1', 'configmaps', 'ConfigMap', true, { short: ['cm'], sub: [] }),
  r('v1', 'secrets', 'Secret', true, { sub: [] }),
  r('v1', 'pods', 'Pod', true, { short: ['po'], cat: ['all'] }),
  r('v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, { short: ['pvc'] }),
  r('v1', 'serviceaccounts', 'ServiceAccount', true, { short: ['sa'], sub: [] }),
  r('apps/v1', 'deployments', 'Deployment', true, { short: ['deploy'], cat: ['all'], sub: ['status', 'scale'] }),
  r('apps/v1', 'replicasets', 'ReplicaSet', true, { short: ['rs'], cat: ['all'], sub: ['status', 'scale'] }),
  r('apps/v1', 'statefulsets', 'StatefulSet', true, { short: ['sts'], cat: ['all'], sub: ['status', 'scale'] }),
  r('apps/v1', 'controllerrevisions', 'ControllerRevision', true, { sub: [] }),
  r('autoscaling/v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, { short: ['hpa'], cat: ['all'] }),
  r('networking.k8s.io/v1', 'ingresses', 'Ingress', true, { short: ['ing'] }),
  r('networking.k8s.io/v1', 'networkpolicies', 'NetworkPolicy', true, { short: ['netpol'] }),
  r('policy/v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, { short: ['pdb'] }),
  r('rbac.authorization.k8s.io/v1', 'clusterroles', 'ClusterRole', false, { sub: [] }),
  r('gateway.networking.k8s.io/v1', 'gateways', 'Gateway', true, { short: ['gtw'], cat: ['gateway-api'], crd: true }),
  r('gateway.networking.k8s.io/v1', 'httproutes', 'HTTPRoute', true, { cat: ['gateway-api'], crd: true }),
  r('gateway.networking.k8s.io/v1beta1', 'referencegrants', 'ReferenceGrant', true, { short: ['refgrant'], cat: ['gateway-api'], crd: true, sub: [] }),
  r('networking.istio.io/v1', 'gateways', 'Gateway', true, { short: ['gw'], cat: ['istio-io', 'networking-istio-io'], crd: true }),
  r('networking.istio.io/v1', 'virtualservices', 'VirtualService', true, { short: ['vs'], cat: ['istio-io', 'networking-istio-io'], crd: true }),
  r('networking.istio.io/v1', 'destinationrules', 'DestinationRule', true, { short: ['dr'], cat: ['istio-io', 'networking-istio-io'], crd: true }),
  r('traefik.io/v1alpha1', 'middlewares', 'Middleware', true, { crd: true, sub: [] }),
  r('projectcontour.io/v1', 'httpproxies', 'HTTPProxy', true, { short: ['proxy'], crd: true }),
  r('gateway.envoyproxy.io/v1alpha1', 'backendtrafficpolicies', 'BackendTrafficPolicy', true, { short: ['btp'], crd: true }),
  // a CRD with an irregular plural and cluster scope: only discovery can tell its path
  r('example.com/v1', 'widgetry', 'Widget', false, { crd: true, sub: [] }),
];

export const groupOf = (gv) => (gv.includes('/') ? gv.split('/')[0] : '');
export const versionOf = (gv) => (gv.includes('/') ? gv.split('/')[1] : gv);
export const findResource = (gv, plural) => RESOURCES.find((x) => x.gv === gv && x.plural === plural);
export const byKind = (apiVersion, kind) => RESOURCES.find((x) => x.gv === apiVersion && x.kind === kind);

// Every group (except the core one) with its versions, preferred first.
export function groups(missing = []) {
  const out = new Map();
  for (const x of RESOURCES) {
    const g = groupOf(x.gv);
    if (!g || missing.includes(g)) continue;
    if (!out.has(g)) out.set(g, []);
    if (!out.get(g).includes(x.gv)) out.get(g).push(x.gv);
  }
  return [...out].map(([name, gvs]) => ({ name, versions: gvs.map((gv) => ({ groupVersion: gv, version: versionOf(gv) })),
    preferredVersion: { groupVersion: gvs[0], version: versionOf(gvs[0]) } }));
}

// The APIResourceList of one group/version (legacy discovery).
export function resourceList(gv) {
  const rs = RESOURCES.filter((x) => x.gv === gv);
  if (!rs.length) return null;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: rs.flatMap((x) => [
    { name: x.plural, singularName: x.singular, namespaced: x.namespaced, kind: x.kind, verbs: x.verbs,
      ...(x.shortNames.length ? { shortNames: x.shortNames } : {}), ...(x.categories.length ? { categories: x.categories } : {}),
      storageVersionHash: Buffer.from(`${x.gv}/${x.kind}`).toString('base64').slice(0, 11) },
    ...x.sub.map((s) => s === 'scale'
      ? { name: `${x.plural}/scale`, singularName: '', namespaced: x.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }
      : { name: `${x.plural}/status`, singularName: '', namespaced: x.namespaced, kind: x.kind, verbs: ['get', 'patch', 'update'] })]) };
}
