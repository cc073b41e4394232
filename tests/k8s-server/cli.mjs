// Runs the test API server in the foreground for people (start.sh starts it in the background):
// node tests/k8s-server/cli.mjs DIR [PORT] — certificates, DIR/kubeconfig (admin client
// certificate), DIR/kubeconfig-viewer (read-only token), DIR/port; stops on SIGTERM/SIGINT.
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './server.mjs';
import { makeCerts, kubeconfig, users, TOKENS } from '../deploy/harness.mjs';

const dir = path.resolve(process.argv[2] || '.');
fs.mkdirSync(dir, { recursive: true });
const certs = makeCerts(dir);
const cluster = await startServer({ tls: certs, tokens: TOKENS, port: Number(process.argv[3] || 0),
  config: JSON.parse(process.env.K8S_SERVER_CONFIG || '{}') });
kubeconfig(dir, 'kubeconfig', cluster.port, users.certFiles(dir), { extra: { contexts: [{ name: 'test', context: { cluster: 'test-cluster', user: 'test-user', namespace: 'default' } }] } });
kubeconfig(dir, 'kubeconfig-viewer', cluster.port, users.token('viewer-token'));
fs.writeFileSync(path.join(dir, 'port'), `${cluster.port}\n`);
console.log(`hyscale test API server on https://127.0.0.1:${cluster.port} (HTTP/2 and HTTP/1.1), pid ${process.pid}`);
const stop = async () => { await cluster.close(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
