// Defaulting, validation and immutable fields of the built-in kinds, as the API server does them
// (values and messages from Kubernetes v1.32: pkg/apis/*/v1/defaults.go, validation.go).
const setDefault = (o, k, v) => { if (o && o[k] === undefined) o[k] = typeof v === 'function' ? v() : v; };
const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function defaultProbe(p) {
  if (!p) return;
  setDefault(p, 'timeoutSeconds', 1); setDefault(p, 'periodSeconds', 10);
  setDefault(p, 'successThreshold', 1); setDefault(p, 'failureThreshold', 3);
  if (p.httpGet) setDefault(p.httpGet, 'scheme', 'HTTP');
  if (p.grpc) setDefault(p.grpc, 'service', '');
}
function defaultContainer(c) {
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  const tag = /:([^/:@]+)$/.exec(c.image || '')?.[1];
  setDefault(c, 'imagePullPolicy', !tag || tag === 'latest' ? (c.image?.includes('@') ? 'IfNotPresent' : 'Always') : 'IfNotPresent');
  for (const p of c.ports || []) setDefault(p, 'protocol', 'TCP');
  for (const e of c.env || []) if (e.valueFrom?.fieldRef) setDefault(e.valueFrom.fieldRef, 'apiVersion', 'v1');
  setDefault(c, 'resources', {});
  // requests default to the limits when only limits are given
  if (c.resources.limits) { c.resources.requests ||= {}; for (const [k, v] of Object.entries(c.resources.limits)) setDefault(c.resources.requests, k, v); }
  defaultProbe(c.livenessProbe); defaultProbe(c.readinessProbe); defaultProbe(c.startupProbe);
}
export function defaultPodSpec(s) {
  if (!s) return;
  setDefault(s, 'restartPolicy', 'Always'); setDefault(s, 'terminationGracePeriodSeconds', 30);
  setDefault(s, 'dnsPolicy', 'ClusterFirst'); setDefault(s, 'securityContext', {});
  setDefault(s, 'schedulerName', 'default-scheduler');
  if (s.serviceAccountName) setDefault(s, 'serviceAccount', s.serviceAccountName);
  for (const c of [...(s.initContainers || []), ...(s.containers || [])]) defaultContainer(c);
  for (const v of s.volumes || []) {
    if (v.configMap) setDefault(v.configMap, 'defaultMode', 420);
    if (v.secret) setDefault(v.secret, 'defaultMode', 420);
    if (v.emptyDir === null) v.emptyDir = {};
    if (v.hostPath) setDefault(v.hostPath, 'type', '');
  }
}

// Cluster-wide allocators (ClusterIP, NodePort) live on the cluster object passed in.
export function applyDefaults(o, alloc) {
  const s = o.spec;
  switch (o.kind) {
    case 'Deployment':
      setDefault(s, 'replicas', 1);
      setDefault(s, 'strategy', {}); setDefault(s.strategy, 'type', 'RollingUpdate');
      if (s.strategy.type === 'RollingUpdate') { setDefault(s.strategy, 'rollingUpdate', {});
        setDefault(s.strategy.rollingUpdate, 'maxUnavailable', '25%'); setDefault(s.strategy.rollingUpdate, 'maxSurge', '25%'); }
      setDefault(s, 'revisionHistoryLimit', 10); setDefault(s, 'progressDeadlineSeconds', 600);
      defaultPodSpec(s.template?.spec);
      break;
    case 'ReplicaSet': setDefault(s, 'replicas', 1); defaultPodSpec(s.template?.spec); break;
    case 'StatefulSet':
      setDefault(s, 'replicas', 1); setDefault(s, 'podManagementPolicy', 'OrderedReady');
      setDefault(s, 'updateStrategy', {}); setDefault(s.updateStrategy, 'type', 'RollingUpdate');
      if (s.updateStrategy.type === 'RollingUpdate') { setDefault(s.updateStrategy, 'rollingUpdate', {});
        setDefault(s.updateStrategy.rollingUpdate, 'partition', 0); }
      setDefault(s, 'revisionHistoryLimit', 10);
      setDefault(s, 'persistentVolumeClaimRetentionPolicy', {});
      setDefault(s.persistentVolumeClaimRetentionPolicy, 'whenDeleted', 'Retain');
      setDefault(s.persistentVolumeClaimRetentionPolicy, 'whenScaled', 'Retain');
      for (const t of s.volumeClaimTemplates || []) {
        setDefault(t, 'apiVersion', 'v1'); setDefault(t, 'kind', 'PersistentVolumeClaim');
        if (t.spec) setDefault(t.spec, 'volumeMode', 'Filesystem');
        setDefault(t, 'status', { phase: 'Pending' });
      }
      defaultPodSpec(s.template?.spec);
      break;
    case 'Pod': defaultPodSpec(s); break;
    case 'Service': {
      setDefault(s, 'type', 'ClusterIP'); setDefault(s, 'sessionAffinity', 'None');
      for (const p of s.ports || []) { setDefault(p, 'protocol', 'TCP'); setDefault(p, 'targetPort', p.port); }
      if (s.type !== 'ExternalName') {
        setDefault(s, 'clusterIP', () => alloc.clusterIP());
        setDefault(s, 'clusterIPs', s.clusterIP === 'None' ? ['None'] : [s.clusterIP]);
        setDefault(s, 'ipFamilies', ['IPv4']); setDefault(s, 'ipFamilyPolicy', 'SingleStack');
        setDefault(s, 'internalTrafficPolicy', 'Cluster');
      }
      if (s.type === 'NodePort' || s.type === 'LoadBalancer') {
        setDefault(s, 'externalTrafficPolicy', 'Cluster');
        for (const p of s.ports || []) setDefault(p, 'nodePort', () => alloc.nodePort());
      }
      if (s.type === 'LoadBalancer') setDefault(s, 'allocateLoadBalancerNodePorts', true);
      break;
    }
    case 'Secret':
      setDefault(o, 'type', 'Opaque');
      if (o.stringData) {
        o.data = { ...(o.data || {}) };
        for (const [k, v] of Object.entries(o.stringData)) o.data[k] = Buffer.from(String(v)).toString('base64');
        delete o.stringData;
      }
      break;
    case 'Namespace':
      setDefault(o, 'spec', { finalizers: ['kubernetes'] });
      o.metadata.labels = { ...(o.metadata.labels || {}), 'kubernetes.io/metadata.name': o.metadata.name };
      setDefault(o, 'status', { phase: 'Active' });
      break;
    case 'PersistentVolumeClaim': if (s) setDefault(s, 'volumeMode', 'Filesystem'); setDefault(o, 'status', { phase: 'Pending' }); break;
    case 'HorizontalPodAutoscaler':
      setDefault(s, 'minReplicas', 1);
      setDefault(s, 'behavior', {});
      setDefault(s.behavior, 'scaleUp', { stabilizationWindowSeconds: 0, selectPolicy: 'Max',
        policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] });
      setDefault(s.behavior, 'scaleDown', { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
      break;
    case 'NetworkPolicy':
      if (s) {
        setDefault(s, 'policyTypes', s.egress ? ['Ingress', 'Egress'] : ['Ingress']);
        for (const r of [...(s.ingress || []), ...(s.egress || [])]) for (const p of r.ports || []) setDefault(p, 'protocol', 'TCP');
      }
      break;
    case 'Ingress': for (const r of s?.rules || []) for (const p of r.http?.paths || []) setDefault(p, 'pathType', undefined); break;
    default:
  }
  return o;
}

const cause = (field, reason, message) => ({ field, reason, message });
const quote = (v) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

// Validation of one object (new) against its previous version (old, or null on create).
export function validate(o, old, config) {
  const causes = [];
  const name = o.metadata?.name || '';
  if (!name) causes.push(cause('metadata.name', 'FieldValueRequired', 'Required value: name or generateName is required'));
  else if (o.kind === 'Namespace' || o.kind === 'Service' ? !DNS1123_LABEL.test(name) || name.length > 63 : !DNS1123.test(name) || name.length > 253)
    causes.push(cause('metadata.name', 'FieldValueInvalid', `Invalid value: "${name}": a lowercase RFC 1123 ${o.kind === 'Namespace' || o.kind === 'Service' ? 'label' : 'subdomain'} must consist of lower case alphanumeric characters, '-' or '.'`));
  const s = o.spec;
  const podSpec = (ps, at) => {
    const cs = ps?.containers;
    if (!Array.isArray(cs) || !cs.length) causes.push(cause(`${at}.containers`, 'FieldValueRequired', 'Required value'));
    const seen = new Set();
    for (const [list, cl] of [['initContainers', ps?.initContainers || []], ['containers', cs || []]])
      cl.forEach((c, i) => {
        if (!c.name) causes.push(cause(`${at}.${list}[${i}].name`, 'FieldValueRequired', 'Required value'));
        else if (seen.has(c.name)) causes.push(cause(`${at}.${list}[${i}].name`, 'FieldValueDuplicate', `Duplicate value: "${c.name}"`));
        seen.add(c.name);
        if (!c.image) causes.push(cause(`${at}.${list}[${i}].image`, 'FieldValueRequired', 'Required value'));
        (c.ports || []).forEach((p, j) => {
          if (!(p.containerPort >= 1 && p.containerPort <= 65535))
            causes.push(cause(`${at}.${list}[${i}].ports[${j}].containerPort`, 'FieldValueInvalid', `Invalid value: ${p.containerPort}: must be between 1 and 65535, inclusive`));
        });
      });
  };
  const selectorMatches = (at) => {
    const sel = s?.selector?.matchLabels || {}, labels = s?.template?.metadata?.labels || {};
    if (!s?.selector) causes.push(cause('spec.selector', 'FieldValueRequired', 'Required value'));
    else if (!Object.entries(sel).every(([k, v]) => labels[k] === v))
      causes.push(cause(`${at}.metadata.labels`, 'FieldValueInvalid', `Invalid value: ${quote(labels)}: \`selector\` does not match template \`labels\``));
  };
  if (o.kind === 'Deployment' || o.kind === 'StatefulSet' || o.kind === 'ReplicaSet') {
    selectorMatches('spec.template');
    podSpec(s?.template?.spec, 'spec.template.spec');
    const r = s?.replicas;
    if (r !== undefined && r < 0) causes.push(cause('spec.replicas', 'FieldValueInvalid', `Invalid value: ${r}: must be greater than or equal to 0`));
    if (r !== undefined && config?.maxReplicas !== undefined && r > config.maxReplicas && o.kind !== 'ReplicaSet')
      causes.push(cause('spec.replicas', 'FieldValueInvalid', `Invalid value: ${r}: must be less than or equal to ${config.maxReplicas} (ValidatingAdmissionPolicy 'max-replicas')`));
  }
  if (o.kind === 'Pod') podSpec(s, 'spec');
  if (o.kind === 'Service') (s?.ports || []).forEach((p, i) => {
    if (!(p.port >= 1 && p.port <= 65535)) causes.push(cause(`spec.ports[${i}].port`, 'FieldValueInvalid', `Invalid value: ${p.port}: must be between 1 and 65535, inclusive`));
  });
  if (o.kind === 'HorizontalPodAutoscaler' && s && s.maxReplicas < (s.minReplicas ?? 1))
    causes.push(cause('spec.maxReplicas', 'FieldValueInvalid', `Invalid value: ${s.maxReplicas}: must be greater than or equal to \`minReplicas\``));
  if (o.kind === 'Ingress') (s?.rules || []).forEach((r, i) => (r.http?.paths || []).forEach((p, j) => {
    if (!p.pathType) causes.push(cause(`spec.rules[${i}].http.paths[${j}].pathType`, 'FieldValueRequired', 'Required value: pathType must be specified'));
  }));
  if (old) causes.push(...immutable(o, old));
  return causes;
}

const eq = (a, b) => JSON.stringify(a) === JSON.stringify(b);
function immutable(o, old) {
  const out = [];
  const s = o.spec || {}, os = old.spec || {};
  if ((o.kind === 'Deployment' || o.kind === 'ReplicaSet') && !eq(s.selector, os.selector))
    out.push(cause('spec.selector', 'FieldValueInvalid', `Invalid value: ${JSON.stringify(s.selector)}: field is immutable`));
  if (o.kind === 'StatefulSet') {
    const strip = (x) => { const y = { ...x }; for (const k of ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds']) delete y[k]; return y; };
    if (!eq(strip(s), strip(os)))
      out.push(cause('spec', 'FieldValueForbidden', "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
  }
  if (o.kind === 'Service' && os.clusterIP && s.type !== 'ExternalName' && s.clusterIP !== os.clusterIP)
    out.push(cause('spec.clusterIPs[0]', 'FieldValueInvalid', `Invalid value: ${JSON.stringify(s.clusterIPs || [s.clusterIP ?? ''])}: may not change once set`));
  if ((o.kind === 'ConfigMap' || o.kind === 'Secret') && old.immutable) {
    if (!o.immutable) out.push(cause('immutable', 'FieldValueForbidden', 'Forbidden: field is immutable when `immutable` is set'));
    for (const k of ['data', 'binaryData']) if (!eq(o[k], old[k]))
      out.push(cause(k, 'FieldValueForbidden', 'Forbidden: field is immutable when `immutable` is set'));
  }
  if (o.kind === 'PersistentVolumeClaim') {
    const strip = (x) => { const y = JSON.parse(JSON.stringify(x || {})); delete y.resources; delete y.volumeName; return y; };
    if (!eq(strip(s), strip(os))) out.push(cause('spec', 'FieldValueForbidden', 'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  return out;
}
