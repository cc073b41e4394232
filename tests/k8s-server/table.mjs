// meta.k8s.io/v1 Table responses (what `kubectl get` asks for): the columns the real server
// prints for the kinds served (priority 1 = only with -o wide), a Name/Age table for the rest.
const age = (ts) => {
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(ts)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60), h = Math.floor(m / 60), d = Math.floor(h / 24);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (h < 3) return `${m}m`;
  if (h < 8) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  if (h < 48) return `${h}h`;
  return `${d}d`;
};
const col = (name, type = 'string', priority = 0, format = '') => ({ name, type, format, description: name, priority });
const sel = (s) => Object.entries(s || {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>';
const images = (o) => (o.spec?.template?.spec?.containers || []).map((c) => c.image).join(',');
const names = (o) => (o.spec?.template?.spec?.containers || []).map((c) => c.name).join(',');

const KINDS = {
  Namespace: [[col('Status')], (o) => [o.status?.phase || 'Active']],
  Pod: [[col('Ready'), col('Status'), col('Restarts', 'string'), col('IP', 'string', 1), col('Node', 'string', 1)], (o) => {
    const cs = o.status?.containerStatuses || [];
    const waiting = cs.find((c) => c.state?.waiting)?.state.waiting.reason;
    return [`${cs.filter((c) => c.ready).length}/${(o.spec?.containers || []).length}`,
      o.metadata.deletionTimestamp ? 'Terminating' : waiting || o.status?.phase || 'Pending',
      String(cs.reduce((n, c) => n + (c.restartCount || 0), 0)), o.status?.podIP || '<none>', o.spec?.nodeName || '<none>'];
  }],
  Deployment: [[col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    (o) => [`${o.status?.readyReplicas || 0}/${o.spec?.replicas ?? 1}`, o.status?.updatedReplicas || 0, o.status?.availableReplicas || 0, names(o), images(o), sel(o.spec?.selector?.matchLabels)]],
  ReplicaSet: [[col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    (o) => [o.spec?.replicas ?? 1, o.status?.replicas || 0, o.status?.readyReplicas || 0, names(o), images(o), sel(o.spec?.selector?.matchLabels)]],
  StatefulSet: [[col('Ready'), col('Containers', 'string', 1), col('Images', 'string', 1)],
    (o) => [`${o.status?.readyReplicas || 0}/${o.spec?.replicas ?? 1}`, names(o), images(o)]],
  ControllerRevision: [[col('Controller'), col('Revision', 'integer')],
    (o) => { const r = o.metadata.ownerReferences?.[0]; return [r ? `${r.kind.toLowerCase()}.apps/${r.name}` : '<none>', o.revision]; }],
  Service: [[col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), col('Selector', 'string', 1)], (o) => [o.spec?.type || 'ClusterIP',
    o.spec?.clusterIP || '<none>', (o.status?.loadBalancer?.ingress || []).map((i) => i.ip || i.hostname).join(',') || (o.spec?.type === 'LoadBalancer' ? '<pending>' : '<none>'),
    (o.spec?.ports || []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol || 'TCP'}`).join(',') || '<none>', sel(o.spec?.selector)]],
  ConfigMap: [[col('Data', 'integer')], (o) => [Object.keys(o.data || {}).length + Object.keys(o.binaryData || {}).length]],
  Secret: [[col('Type'), col('Data', 'integer')], (o) => [o.type || 'Opaque', Object.keys(o.data || {}).length]],
  PersistentVolumeClaim: [[col('Status'), col('Volume'), col('Capacity'), col('Access Modes'), col('StorageClass')],
    (o) => [o.status?.phase || 'Pending', o.spec?.volumeName || '', '', (o.spec?.accessModes || []).map((m) => ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX' }[m] || m)).join(','), o.spec?.storageClassName || '<unset>']],
  HorizontalPodAutoscaler: [[col('Reference'), col('Targets'), col('MinPods', 'integer'), col('MaxPods', 'integer'), col('Replicas', 'integer')],
    (o) => [`${o.spec?.scaleTargetRef?.kind}/${o.spec?.scaleTargetRef?.name}`,
      (o.spec?.metrics || []).map((m) => `${m.resource?.name}: <unknown>/${m.resource?.target?.averageUtilization ?? '?'}%`).join(', ') || '<none>',
      o.spec?.minReplicas ?? 1, o.spec?.maxReplicas, o.status?.currentReplicas || 0]],
  Ingress: [[col('Class'), col('Hosts'), col('Address'), col('Ports')], (o) => [o.spec?.ingressClassName || '<none>',
    [...new Set((o.spec?.rules || []).map((r) => r.host || '*'))].join(',') || '*', (o.status?.loadBalancer?.ingress || []).map((i) => i.ip || i.hostname).join(','),
    o.spec?.tls?.length ? '80, 443' : '80']],
  NetworkPolicy: [[col('Pod-Selector')], (o) => [sel(o.spec?.podSelector?.matchLabels) === '<none>' ? '' : sel(o.spec?.podSelector?.matchLabels)]],
  PodDisruptionBudget: [[col('Min Available'), col('Max Unavailable'), col('Allowed Disruptions', 'integer')],
    (o) => [String(o.spec?.minAvailable ?? 'N/A'), String(o.spec?.maxUnavailable ?? 'N/A'), o.status?.disruptionsAllowed || 0]],
};

const reorder = (cells, cols, a) => [cells[0], ...cols.map((c, i) => [c, cells[i + 1]]).filter(([c]) => !c.priority).map(([, v]) => v), a,
  ...cols.map((c, i) => [c, cells[i + 1]]).filter(([c]) => c.priority).map(([, v]) => v)];

export function table(kind, objs, q) {
  const [cols, cells] = KINDS[kind] || [[], () => []];
  const meta = (o) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata });
  const include = q?.get('includeObject') || 'Metadata';
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: {},
    // Age after the default columns, before the -o wide ones, as the real server orders them
    columnDefinitions: [col('Name', 'string', 0, 'name'), ...cols.filter((c) => !c.priority), col('Age'), ...cols.filter((c) => c.priority)],
    rows: objs.map((o) => ({ cells: reorder([o.metadata.name, ...cells(o)], cols, age(o.metadata.creationTimestamp)),
      object: include === 'None' ? undefined : include === 'Object' ? o : meta(o) })) };
}
