// One entry point per app (issue 17): services of an app that share hosts share one Gateway
// (and one Istio Gateway), owned by the app. Deploying one service keeps the listeners the
// app's other deployed services use (the union); undeploying a service keeps the Gateway
// while other routes attach to it, less the listeners only that service used; the last
// service, or `undeploy app`, removes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Env } from './harness.mjs';

const NS = 'shop';
const APP = 'shop';
const spec = (name, hosts, path, provider, tls) => `name: ${name}
image:
  registry: registry.hub.docker.com
  name: library/nginx
  tag: "1.25"
external: true
ports:
  - port: 8080/http
loadBalancer:
  provider: ${provider}
${provider === 'gateway' ? '  className: eg\n' : '  labels:\n    istio: ingressgateway\n'}  hosts: [${hosts.join(', ')}]
${tls ? `  tlsSecret: ${tls}\n` : ''}  mapping:
    - port: 8080/http
      contextPaths: [${path}]
`;
const deploy = (...files) => ['deploy', 'service', ...files.flatMap((f) => ['-f', f]), '-a', APP, '-n', NS];
const undeploy = (...svcs) => ['undeploy', 'service', ...svcs.flatMap((s) => ['-s', s]), '-a', APP, '-n', NS];

// listener (server) names of the shared gateway, sorted; null when it is gone
function entry(env, kind) {
  const [group, name, list, key] = kind === 'gateway'
    ? ['gateway.networking.k8s.io', 'dev-shop-gateway', 'listeners', (l) => l.name]
    : ['networking.istio.io', 'dev-shop-istio-gateway', 'servers', (s) => s.port.name];
  const g = env.objects('Gateway', NS).find((o) => o.apiVersion.startsWith(group) && o.metadata.name === name);
  return g ? g.spec[list].map(key).sort() : null;
}

for (const provider of ['gateway', 'istio']) {
  test(`${provider}: add-service and remove-service sequences keep the app's one Gateway consistent`, async (t) => {
    const env = await Env.create(t);
    const web = env.spec('web.hspec', spec('web', ['shop.example.org'], '/', provider, 'shop-tls'));
    const api = env.spec('api.hspec', spec('api', ['shop.example.org', 'api.example.org'], '/api', provider, 'shop-tls'));
    const blog = env.spec('blog.hspec', spec('blog', ['blog.example.org'], '/', provider));
    let r = await env.run(deploy(web));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(entry(env, provider), ['http-shop.example.org', 'https-shop.example.org']);
    assert.match(r.stdout, /Gateway dev-shop-(istio-)?gateway created \(the app's entry point\)/);
    // api alone: its hosts are added, web's listeners stay (web's routes use them)
    r = await env.run(deploy(api));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(entry(env, provider), ['http-api.example.org', 'http-shop.example.org', 'https-api.example.org',
      'https-shop.example.org']);
    // blog alone: the listeners of web and api are kept for them
    r = await env.run(deploy(blog));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Gateway dev-shop-(istio-)?gateway configured \(the app's entry point; 4 (listeners|servers) kept for the app's other services\)/);
    assert.deepEqual(entry(env, provider), ['http-api.example.org', 'http-blog.example.org', 'http-shop.example.org',
      'https-api.example.org', 'https-shop.example.org']);
    assert.equal(env.objects('Gateway', NS).length, 1);   // one per app, never one per service
    const route = provider === 'gateway' ? 'HTTPRoute' : 'VirtualService';
    assert.equal(env.objects(route, NS).filter((o) => !o.metadata.name.endsWith('-http-redirect')).length, 3);
    // redeploying web alone changes nothing for the others
    r = await env.run(deploy(web));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(entry(env, provider).length, 5);
    // api goes: api.example.org goes with it; shop.example.org stays for web
    r = await env.run(undeploy('api'));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(entry(env, provider), ['http-blog.example.org', 'http-shop.example.org', 'https-shop.example.org']);
    r = await env.run(undeploy('web'));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(entry(env, provider), ['http-blog.example.org']);
    // the last service takes the Gateway with it
    r = await env.run(undeploy('blog'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Gateway dev-shop-(istio-)?gateway deleted \(no service of app shop uses it\)/);
    assert.equal(entry(env, provider), null);
  });
}

test('undeploy app removes the shared Gateway; deploying two services together gives one', async (t) => {
  const env = await Env.create(t);
  const web = env.spec('web.hspec', spec('web', ['shop.example.org'], '/', 'gateway', 'shop-tls'));
  const api = env.spec('api.hspec', spec('api', ['shop.example.org'], '/api', 'gateway', 'shop-tls'));
  let r = await env.run(deploy(web, api));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(entry(env, 'gateway'), ['http-shop.example.org', 'https-shop.example.org']);
  const routes = env.objects('HTTPRoute', NS);
  assert.equal(routes.length, 4);   // a route and a redirect route per service
  for (const o of routes)
    for (const p of o.spec.parentRefs) {
      assert.equal(p.name, 'dev-shop-gateway');
      assert.match(p.sectionName, /^https?-shop\.example\.org$/);
    }
  // the shared Gateway has the app's labels, not a service's: a service's prune never takes it
  const gw = env.objects('Gateway', NS)[0];
  assert.equal(gw.metadata.labels['hyscale.io/app-name'], APP);
  assert.equal(gw.metadata.labels['hyscale.io/service-name'], undefined);
  r = await env.run(['undeploy', 'app', '-a', APP, '-n', NS]);
  assert.equal(r.code, 0, r.stderr);
  for (const k of ['Gateway', 'HTTPRoute', 'Deployment']) assert.equal(env.objects(k, NS).length, 0, k);
});

test('a service moved to another provider leaves the shared Gateway to the others, then it goes', async (t) => {
  const env = await Env.create(t);
  const web = env.spec('web.hspec', spec('web', ['shop.example.org'], '/', 'gateway'));
  const api = env.spec('api.hspec', spec('api', ['api.example.org'], '/', 'gateway'));
  let r = await env.run(deploy(web, api));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(entry(env, 'gateway'), ['http-api.example.org', 'http-shop.example.org']);
  env.spec('api.hspec', spec('api', ['api.example.org'], '/', 'nginx'));
  r = await env.run(deploy(api));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(entry(env, 'gateway'), ['http-shop.example.org']);
  env.spec('web.hspec', spec('web', ['shop.example.org'], '/', 'nginx'));
  r = await env.run(deploy(web));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(entry(env, 'gateway'), null);
  assert.equal(env.objects('Ingress', NS).length, 2);
});
