// The controllers of the test cluster, run on a tick and after every write: Deployment →
// ReplicaSet (pod-template-hash, revisions, rolling update with maxSurge/maxUnavailable,
// Progressing/Available conditions with the progress deadline) → Pod; StatefulSet with
// ControllerRevisions (currentRevision/updateRevision, OrderedReady/Parallel, partition,
// OnDelete); a "kubelet" that starts pods (ready, crash-looping, image pull back-off, not ready,
// transiently or for good); the HPA; namespace termination and foreground deletion; load
// balancer addresses. Every status write goes through the API path (manager kube-controller-manager).
import crypto from 'node:crypto';
import { clone, deepEqual } from './apply.mjs';

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';
const safe = (buf, n) => [...buf].slice(0, n).map((b) => SAFE[b % SAFE.length]).join('');
export const templateHash = (tpl, n = 10) => safe(crypto.createHash('sha256').update(JSON.stringify(tpl || {})).digest(), n);
const randomSuffix = () => safe(crypto.randomBytes(5), 5);
const controllerOf = (o) => o.metadata.ownerReferences?.find((r) => r.controller);
const ownerRef = (o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid, controller: true, blockOwnerDeletion: true });
const omitZero = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0 && v !== undefined));
const PLURAL = { Deployment: 'deployments', StatefulSet: 'statefulsets', ReplicaSet: 'replicasets' };

function resolveIntOrPercent(v, total, roundUp) {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v ?? ''));
  if (!m) return Number(v) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

export class Controllers {
  constructor(cluster) { this.c = cluster; this.expired = new Map(); }
  start() { this.iv = setInterval(() => this.tick(), this.c.config.tickMs); }
  stop() { clearInterval(this.iv); if (this.pending) clearImmediate(this.pending); this.stopped = true; }
  kick() {
    if (this.pending || this.stopped) return;
    this.pending = setImmediate(() => { this.pending = null; this.tick(); });
  }

  tick() {
    if (this.running) { this.again = true; return; }
    this.running = true;
    try {
      for (let i = 0; i < 5; i++) {
        this.again = false;
        const rv = this.c.rv;
        for (const kind of ['Namespace', 'Deployment', 'ReplicaSet', 'StatefulSet', 'Pod', 'HorizontalPodAutoscaler', 'Ingress', 'Gateway', 'Service'])
          for (const e of this.c.entries(kind)) if (this.alive(e)) this[`on${kind}`](e);
        this.foregroundPass();
        if (this.c.rv === rv && !this.again) break;
      }
    } finally { this.running = false; }
  }
  alive(e) { return this.c.store.get(this.c.key(e.gv, e.plural, e.obj.metadata.namespace, e.obj.metadata.name)) === e; }
  owned(kind, uid) { return this.c.entries(kind).filter((d) => controllerOf(d.obj)?.uid === uid); }
  create(gv, plural, ns, obj) { return this.c.create(gv, plural, ns, obj, 'kube-controller-manager'); }
  del(e) { this.c.remove(e.gv, e.plural, e.obj.metadata.namespace, e.obj.metadata.name, 'Background'); }
  update(e, mutate) {
    const next = clone(e.obj);
    mutate(next);
    if (deepEqual(next, e.obj)) return;
    this.c.commit(e, next, { manager: 'kube-controller-manager' });
  }
  // conditions keep their times while type/status/reason/message stay the same
  conditions(old = [], want) {
    return want.map((c) => {
      const o = old.find((x) => x.type === c.type);
      if (o && o.status === c.status && o.reason === c.reason && o.message === c.message && !c.touch) return o;
      const { touch, ...rest } = c;
      return { ...rest, lastUpdateTime: now(), lastTransitionTime: o && o.status === c.status ? o.lastTransitionTime : now() };
    });
  }

  onNamespace(e) {
    const o = e.obj;
    if (o.status?.phase !== 'Terminating') return;
    if (Date.now() - Date.parse(o.metadata.deletionTimestamp) < this.c.config.namespaceDeleteMs) { this.again = true; return; }
    const inside = [...this.c.store.values()].filter((d) => d.obj.metadata.namespace === o.metadata.name);
    for (const d of inside) if (!d.obj.metadata.deletionTimestamp) this.del(d);
    if (![...this.c.store.values()].some((d) => d.obj.metadata.namespace === o.metadata.name)) this.c.finalize(e);
  }
  terminateNamespace() { this.kick(); }
  foreground() { this.kick(); }
  foregroundPass() {
    for (const e of [...this.c.store.values()]) {
      if (!e.obj.metadata.finalizers?.includes('foregroundDeletion')) continue;
      const deps = [...this.c.store.values()].filter((d) => d.obj.metadata.ownerReferences?.some((r) => r.uid === e.obj.metadata.uid));
      for (const d of deps) if (!d.obj.metadata.deletionTimestamp) this.c.remove(d.gv, d.plural, d.obj.metadata.namespace, d.obj.metadata.name, 'Foreground');
      if (!deps.length) this.c.dropFinalizer(e, 'foregroundDeletion');
    }
  }

  // ---- Deployment ----
  onDeployment(e) {
    const d = e.obj, spec = d.spec, ns = d.metadata.namespace;
    if (d.metadata.deletionTimestamp) return;
    const desired = spec.replicas ?? 1;
    const hash = templateHash(spec.template);
    const rss = this.owned('ReplicaSet', d.metadata.uid);
    const rev = (r) => Number(r.obj.metadata.annotations?.['deployment.kubernetes.io/revision'] || 0);
    const maxRev = Math.max(0, ...rss.map(rev));
    let newRS = rss.find((r) => r.obj.metadata.labels?.['pod-template-hash'] === hash);
    const surge = resolveIntOrPercent(spec.strategy?.rollingUpdate?.maxSurge ?? '25%', desired, true);
    let unavail = resolveIntOrPercent(spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%', desired, false);
    if (!surge && !unavail) unavail = 1;
    const annotations = (r) => ({ ...(spec.template.metadata?.annotations || {}), 'deployment.kubernetes.io/desired-replicas': String(desired),
      'deployment.kubernetes.io/max-replicas': String(desired + (spec.strategy?.type === 'Recreate' ? 0 : surge)), 'deployment.kubernetes.io/revision': String(r) });
    let created = false;
    if (!newRS && !spec.paused) {
      const labels = { ...(spec.template.metadata?.labels || {}), 'pod-template-hash': hash };
      const tpl = clone(spec.template);
      tpl.metadata = { ...(tpl.metadata || {}), labels };
      newRS = this.create('apps/v1', 'replicasets', ns, { apiVersion: 'apps/v1', kind: 'ReplicaSet',
        metadata: { name: `${d.metadata.name}-${hash}`, namespace: ns, labels, annotations: annotations(maxRev + 1), ownerReferences: [ownerRef(d)] },
        spec: { replicas: 0, minReadySeconds: spec.minReadySeconds, selector: { ...clone(spec.selector), matchLabels: { ...(spec.selector?.matchLabels || {}), 'pod-template-hash': hash } }, template: tpl } });
      created = true;
    } else if (newRS && rev(newRS) !== maxRev) {
      this.update(newRS, (o) => { o.metadata.annotations = { ...o.metadata.annotations, 'deployment.kubernetes.io/revision': String(maxRev + 1) }; });
    }
    const old = rss.filter((r) => r !== newRS).sort((a, b) => rev(a) - rev(b));
    const specReplicas = (r) => r.obj.spec.replicas ?? 0;
    const avail = (r) => r.obj.status?.availableReplicas || 0;
    const scale = (r, n) => { if (specReplicas(r) !== n) this.update(r, (o) => { o.spec.replicas = n; Object.assign(o.metadata.annotations ||= {}, annotations(Number(o.metadata.annotations?.['deployment.kubernetes.io/revision'] || 0))); }); };
    if (newRS && !spec.paused) {
      if (spec.strategy?.type === 'Recreate') {
        for (const r of old) scale(r, 0);
        if (old.every((r) => !(r.obj.status?.replicas))) scale(newRS, desired);
      } else {
        const total = [newRS, ...old].reduce((n, r) => n + specReplicas(r), 0);
        if (specReplicas(newRS) > desired) scale(newRS, desired);
        else if (specReplicas(newRS) < desired) {
          const up = Math.min(desired + surge - total, desired - specReplicas(newRS));
          if (up > 0) scale(newRS, specReplicas(newRS) + up);
        }
        const all = [newRS, ...old].reduce((n, r) => n + specReplicas(r), 0);
        const minAvail = desired - unavail;
        const newUnavail = specReplicas(newRS) - avail(newRS);
        let maxDown = all - minAvail - newUnavail;
        // unhealthy old replicas first, then healthy ones down to the minimum availability
        for (const r of old) {
          if (maxDown <= 0) break;
          const down = Math.min(maxDown, specReplicas(r) - avail(r));
          if (down > 0) { scale(r, specReplicas(r) - down); maxDown -= down; }
        }
        let canDown = old.concat(newRS).reduce((n, r) => n + avail(r), 0) - minAvail;
        for (const r of old) {
          if (canDown <= 0) break;
          const down = Math.min(canDown, specReplicas(r), avail(r));
          if (down > 0) { scale(r, specReplicas(r) - down); canDown -= down; }
        }
      }
    }
    // history: old ReplicaSets without replicas beyond revisionHistoryLimit go
    const idle = old.filter((r) => !specReplicas(r) && !(r.obj.status?.replicas));
    for (const r of idle.slice(0, Math.max(0, idle.length - (spec.revisionHistoryLimit ?? 10)))) this.del(r);
    this.deploymentStatus(e, newRS, old, desired, unavail, created);
  }

  deploymentStatus(e, newRS, old, desired, unavail, created) {
    const d = e.obj, st = d.status || {};
    const all = [newRS, ...old].filter(Boolean);
    const sum = (f) => all.reduce((n, r) => n + (r.obj.status?.[f] || 0), 0);
    const replicas = sum('replicas'), ready = sum('readyReplicas'), available = sum('availableReplicas');
    const updated = newRS?.obj.status?.replicas || 0;
    const rsName = newRS?.obj.metadata.name;
    const complete = updated === desired && replicas === desired && available === desired && (newRS?.obj.status?.observedGeneration ?? 0) >= (newRS?.obj.metadata.generation ?? 0);
    const progressKey = JSON.stringify([rsName, replicas, updated, ready, available, all.map((r) => r.obj.spec.replicas)]);
    const prog = (st.conditions || []).find((c) => c.type === 'Progressing');
    const deadlineMs = (d.spec.progressDeadlineSeconds ?? 600) * this.c.config.secondsMs;
    const key = `${d.metadata.namespace}/${d.metadata.name}`;
    let want;
    if (created) want = { status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${rsName}"`, touch: true };
    else if (complete) want = { status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` };
    else if (this.expired.has(key) && this.expired.get(key) === progressKey)
      want = { status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.` };
    else if (e.progressKey !== progressKey && e.progressKey !== undefined) want = { status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.`, touch: true };
    else if (prog && prog.reason !== 'ProgressDeadlineExceeded' && Date.now() - Date.parse(prog.lastUpdateTime) > deadlineMs)
      want = { status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.` };
    else want = prog ? { status: prog.status, reason: prog.reason, message: prog.message } : { status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` };
    if (want.reason !== 'ProgressDeadlineExceeded') this.expired.delete(key);
    e.progressKey = progressKey;
    const minOk = available >= desired - unavail;
    const conds = this.conditions(st.conditions, [
      { type: 'Available', status: minOk ? 'True' : 'False', reason: minOk ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
        message: minOk ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.' },
      { type: 'Progressing', ...want }]);
    const next = { ...omitZero({ observedGeneration: d.metadata.generation, replicas, updatedReplicas: updated, readyReplicas: ready,
      availableReplicas: available, unavailableReplicas: Math.max(0, desired - available) }), conditions: conds };
    this.c.writeStatus(e, next);
  }
  // the test's deadline passes now (until the rollout progresses again)
  expireDeadline(ns, name) { const e = this.c.get('apps/v1', 'deployments', ns, name); if (e) this.expired.set(`${ns}/${name}`, e.progressKey); this.kick(); }

  // ---- ReplicaSet ----
  onReplicaSet(e) {
    const r = e.obj;
    if (r.metadata.deletionTimestamp) return;
    const want = r.spec.replicas ?? 1;
    const pods = this.owned('Pod', r.metadata.uid).filter((p) => !p.obj.metadata.deletionTimestamp);
    for (let i = pods.length; i < want; i++) pods.push(this.makePod(r, `${r.metadata.name}-${randomSuffix()}`, r.spec.template));
    if (pods.length > want) {
      const order = [...pods].sort((a, b) => this.isReady(a.obj) - this.isReady(b.obj) || b.obj.metadata.creationTimestamp.localeCompare(a.obj.metadata.creationTimestamp));
      for (const p of order.slice(0, pods.length - want)) { this.del(p); pods.splice(pods.indexOf(p), 1); }
    }
    const ready = pods.filter((p) => this.isReady(p.obj)).length;
    const available = pods.filter((p) => this.isAvailable(p.obj, r.spec.minReadySeconds)).length;
    this.c.writeStatus(e, omitZero({ replicas: pods.length, fullyLabeledReplicas: pods.length, readyReplicas: ready, availableReplicas: available,
      observedGeneration: r.metadata.generation }));
  }
  isReady(p) { return !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'); }
  isAvailable(p, minReady = 0) {
    const c = p.status?.conditions?.find((x) => x.type === 'Ready' && x.status === 'True');
    return !!c && Date.now() - Date.parse(c.lastTransitionTime) >= (minReady || 0) * 1000;
  }

  makePod(owner, name, template, extraLabels = {}) {
    const ns = owner.metadata.namespace;
    const spec = clone(template.spec || {});
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, generateName: owner.kind === 'ReplicaSet' ? `${owner.metadata.name}-` : undefined,
      labels: { ...(template.metadata?.labels || {}), ...extraLabels }, annotations: template.metadata?.annotations,
      ownerReferences: [ownerRef(owner)] }, spec: { ...spec, nodeName: 'hyscale-test-node' },
    status: { phase: 'Pending', qosClass: 'BestEffort', conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now() }] } };
    if (!pod.metadata.generateName) delete pod.metadata.generateName;
    if (!pod.metadata.annotations) delete pod.metadata.annotations;
    const e = this.create('v1', 'pods', ns, pod);
    e.behave = this.behaviour(e.obj, owner);
    e.bornAt = Date.now();
    return e;
  }

  // What the pod's containers will do: test hooks first, then the image names.
  behaviour(pod, owner) {
    let wl = owner;
    if (owner.kind === 'ReplicaSet') {
      const ref = controllerOf(owner);
      if (ref) wl = this.c.entries(ref.kind, owner.metadata.namespace).find((x) => x.obj.metadata.uid === ref.uid)?.obj || owner;
    }
    const id = `${wl.kind}/${wl.metadata.name}`;
    const rule = [...this.c.podRules].reverse().find((r) => (r.namespace || 'default') === pod.metadata.namespace && (r.workload === id || r.workload === wl.metadata.name));
    const stall = this.c.stalls.has(`${pod.metadata.namespace}/${wl.metadata.name}`);
    const t = this.c.config.transientMs;
    return (pod.spec.containers || []).map((c, i) => {
      if (stall) return { state: 'NotReady' };
      if (rule && i === 0) return { state: rule.state, until: rule.ms ? Date.now() + rule.ms : Infinity };
      const img = c.image || '';
      if (img.includes('transient-crash')) return { state: 'CrashLoopBackOff', until: Date.now() + t };
      if (img.includes('transient-pull')) return { state: 'ImagePullBackOff', until: Date.now() + t };
      if (img.includes('crashloop')) return { state: 'CrashLoopBackOff', until: Infinity };
      if (img.includes('no-such-image')) return { state: 'ImagePullBackOff', until: Infinity };
      return { state: 'Running' };
    });
  }

  // ---- the kubelet ----
  onPod(e) {
    const p = e.obj;
    if (p.metadata.deletionTimestamp || !e.behave) return;
    const started = Date.now() - e.bornAt >= this.c.config.readyDelayMs;
    if (!started) return;
    const old = p.status || {};
    const cs = (p.spec.containers || []).map((c, i) => {
      const b = e.behave[i] || { state: 'Running' };
      const state = b.until !== undefined && Date.now() >= b.until ? 'Running' : b.state;
      const prev = old.containerStatuses?.find((x) => x.name === c.name);
      const base = { name: c.name, image: c.image, imageID: '', started: false, ready: false, restartCount: prev?.restartCount || 0 };
      if (state === 'CrashLoopBackOff') {
        const restarts = Math.max(4, base.restartCount);
        return { ...base, restartCount: restarts, lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: old.startTime, finishedAt: old.startTime } },
          state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 40s restarting failed container=${c.name} pod=${p.metadata.name}_${p.metadata.namespace}(${p.metadata.uid})` } } };
      }
      if (state === 'ImagePullBackOff' || state === 'ErrImagePull')
        return { ...base, state: { waiting: { reason: state, message: state === 'ErrImagePull' ? `failed to pull and unpack image "${c.image}"` : `Back-off pulling image "${c.image}"` } } };
      const running = prev?.state?.running ? prev.state.running : { startedAt: now() };
      return { ...base, started: true, ready: state === 'Running', ...(prev?.lastState ? { lastState: prev.lastState } : {}), state: { running } };
    });
    const allReady = cs.every((c) => c.ready);
    const anyRunning = cs.some((c) => c.state.running || c.state.waiting?.reason === 'CrashLoopBackOff');
    const cond = (type, ok, reason) => ({ type, status: ok ? 'True' : 'False', ...(ok ? {} : { reason }) });
    const notReady = cs.filter((c) => !c.ready).map((c) => c.name);
    const reason = notReady.length ? 'ContainersNotReady' : undefined;
    const want = [cond('PodReadyToStartContainers', true), cond('Initialized', true), cond('Ready', allReady, reason), cond('ContainersReady', allReady, reason), cond('PodScheduled', true)];
    const conditions = want.map((c) => {
      const o = old.conditions?.find((x) => x.type === c.type);
      if (o && o.status === c.status) return o;
      return { ...c, lastProbeTime: null, lastTransitionTime: now(), ...(c.reason ? { message: `containers with unready status: [${notReady.join(' ')}]` } : {}) };
    });
    const st = { phase: anyRunning ? 'Running' : 'Pending', conditions, hostIP: '10.0.0.1', hostIPs: [{ ip: '10.0.0.1' }],
      podIP: old.podIP || `10.244.0.${(this.c.ipNext++ % 250) + 2}`, startTime: old.startTime || now(), containerStatuses: cs, qosClass: old.qosClass || 'BestEffort' };
    st.podIPs = [{ ip: st.podIP }];
    const cmp = (s) => JSON.stringify(s, (k, v) => (k === 'startedAt' || k === 'startTime' || k === 'podIP' || k === 'podIPs' || k === 'hostIPs' || k === 'hostIP' ? undefined : v));
    if (cmp(st) !== cmp(old)) this.c.writeStatus(e, st);
  }

  // ---- StatefulSet ----
  onStatefulSet(e) {
    const s = e.obj, spec = s.spec, ns = s.metadata.namespace;
    if (s.metadata.deletionTimestamp) return;
    const hash = templateHash(spec.template);
    const updateRevision = `${s.metadata.name}-${hash}`;
    const crs = this.owned('ControllerRevision', s.metadata.uid);
    if (!crs.some((c) => c.obj.metadata.name === updateRevision)) {
      const n = Math.max(0, ...crs.map((c) => c.obj.revision || 0)) + 1;
      crs.push(this.create('apps/v1', 'controllerrevisions', ns, { apiVersion: 'apps/v1', kind: 'ControllerRevision',
        metadata: { name: updateRevision, namespace: ns, labels: { ...(spec.template.metadata?.labels || {}), 'controller.kubernetes.io/hash': hash }, ownerReferences: [ownerRef(s)] },
        data: { spec: { template: { $patch: 'replace', ...clone(spec.template) } } }, revision: n }));
    }
    const currentRevision = s.status?.currentRevision && crs.some((c) => c.obj.metadata.name === s.status.currentRevision) ? s.status.currentRevision : updateRevision;
    const tplOf = (rev) => { const c = crs.find((x) => x.obj.metadata.name === rev); const t = clone(c.obj.data.spec.template); delete t.$patch; return t; };
    const replicas = spec.replicas ?? 1;
    const onDelete = spec.updateStrategy?.type === 'OnDelete';
    const partition = onDelete ? 0 : spec.updateStrategy?.rollingUpdate?.partition || 0;
    const parallel = spec.podManagementPolicy === 'Parallel';
    const ordinal = (p) => Number(p.obj.metadata.name.slice(s.metadata.name.length + 1));
    const pods = this.owned('Pod', s.metadata.uid);
    const byOrd = new Map(pods.map((p) => [ordinal(p), p]));
    const revOf = (p) => p.obj.metadata.labels?.['controller-revision-hash'];
    const healthy = (p) => p && !p.obj.metadata.deletionTimestamp && this.isReady(p.obj);
    let blocked = false;
    for (let i = 0; i < replicas && !blocked; i++) {
      const p = byOrd.get(i);
      if (!p) {
        const rev = !onDelete && currentRevision !== updateRevision && i < partition ? currentRevision : updateRevision;
        const name = `${s.metadata.name}-${i}`;
        byOrd.set(i, this.makePod(s, name, tplOf(rev), { 'controller-revision-hash': rev, 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': String(i) }));
        if (!parallel) blocked = true;
      } else if (!healthy(p) && !parallel) blocked = true;
    }
    // scale down: the highest ordinal first, one at a time unless Parallel
    const extra = [...byOrd.keys()].filter((i) => i >= replicas).sort((a, b) => b - a);
    for (const i of extra) {
      if (!parallel && (blocked || [...byOrd.values()].some((p) => ordinal(p) < i && !healthy(p)))) break;
      if (!byOrd.get(i).obj.metadata.deletionTimestamp) this.del(byOrd.get(i));
      byOrd.delete(i);
      if (!parallel) break;
    }
    // rolling update: from the highest ordinal down to the partition, one pod at a time
    if (!onDelete && !blocked && !extra.length) {
      const live = [...byOrd.entries()].filter(([i]) => i < replicas);
      if (live.length === replicas && live.every(([, p]) => healthy(p)))
        for (let i = replicas - 1; i >= partition; i--) {
          const p = byOrd.get(i);
          if (revOf(p) !== updateRevision) { this.del(p); break; }
        }
    }
    const all = this.owned('Pod', s.metadata.uid).filter((p) => !p.obj.metadata.deletionTimestamp);
    const ready = all.filter((p) => this.isReady(p.obj)).length;
    const updated = all.filter((p) => revOf(p) === updateRevision).length;
    let current = all.filter((p) => revOf(p) === currentRevision).length;
    let cur = currentRevision;
    if (updated === replicas && all.length === replicas && ready === replicas) { cur = updateRevision; current = updated; }
    this.c.writeStatus(e, { ...omitZero({ observedGeneration: s.metadata.generation, replicas: all.length, readyReplicas: ready, currentReplicas: current,
      updatedReplicas: updated, availableReplicas: all.filter((p) => this.isAvailable(p.obj, spec.minReadySeconds)).length }),
    currentRevision: cur, updateRevision, collisionCount: 0 });
  }

  // ---- HPA: keeps the target within min/max, follows the test's "load" ----
  onHorizontalPodAutoscaler(e) {
    const h = e.obj, ns = h.metadata.namespace, ref = h.spec?.scaleTargetRef || {};
    const target = PLURAL[ref.kind] && this.c.get(ref.apiVersion || 'apps/v1', PLURAL[ref.kind], ns, ref.name);
    const min = h.spec.minReplicas ?? 1, max = h.spec.maxReplicas;
    if (!target) {
      this.c.writeStatus(e, { ...(h.status || {}), currentReplicas: 0, desiredReplicas: 0, conditions: this.conditions(h.status?.conditions,
        [{ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${(ref.kind || '').toLowerCase()}s.apps "${ref.name}" not found` }]) });
      return;
    }
    const cur = target.obj.spec.replicas ?? 1;
    const load = this.c.hpaLoads.get(`${ns}/${h.metadata.name}`);
    const desired = Math.min(max, Math.max(min, load ?? cur));
    let lastScaleTime = h.status?.lastScaleTime;
    if (desired !== cur && !target.obj.metadata.deletionTimestamp) {
      const r = this.c.setReplicas(target, desired, 'kube-controller-manager');
      if (!Array.isArray(r)) lastScaleTime = now();
    }
    const limited = (load ?? cur) !== desired;
    this.c.writeStatus(e, { ...(lastScaleTime ? { lastScaleTime } : {}), currentReplicas: target.obj.status?.replicas ?? 0, desiredReplicas: desired,
      ...(h.metadata.generation ? { observedGeneration: h.metadata.generation } : {}),
      conditions: this.conditions(h.status?.conditions, [
        { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
        { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from the test load' },
        { type: 'ScalingLimited', status: limited ? 'True' : 'False', reason: limited ? (desired === max ? 'TooManyReplicas' : 'TooFewReplicas') : 'DesiredWithinRange',
          message: limited ? `the desired replica count is ${desired === max ? 'more than the maximum' : 'less than the minimum'} replica count` : 'the desired count is within the acceptable range' }]) });
  }

  // ---- load balancer addresses ----
  lb(e, st) {
    const d = this.c.config.lbDelayMs;
    if (d < 0) return;
    e.lbAt ??= Date.now() + d;
    if (Date.now() < e.lbAt) return;
    this.c.writeStatus(e, st);
  }
  onIngress(e) { if (!e.obj.status?.loadBalancer?.ingress) this.lb(e, { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } }); }
  onGateway(e) {
    if (!e.gv.startsWith('gateway.') || e.obj.status?.addresses) return;
    this.lb(e, { ...(e.obj.status || {}), addresses: [{ type: 'Hostname', value: 'localhost' }] });
  }
  onService(e) {
    if (e.obj.spec?.type !== 'LoadBalancer' || e.obj.status?.loadBalancer?.ingress) return;
    this.lb(e, { loadBalancer: { ingress: [{ ip: '127.0.0.1', ipMode: 'VIP' }] } });
  }
}
