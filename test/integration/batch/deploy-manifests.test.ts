/**
 * The deployment files in deploy/ stay consistent with the code: probes on
 * the service's real endpoints, the Service and the autoscaler pointing at
 * the Deployment, memory requests above the measured peak RSS, and the
 * systemd units running files the build produces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../../helpers/repo-root.js';

const MEASURED_PEAK_RSS_MIB = 650; // `npm start`, 24 requests in flight, VmHWM (deploy/README.md)

interface Manifest { kind: string; metadata: { name: string }; spec: Record<string, any> }

async function manifests(file: string): Promise<Manifest[]> {
  const text = await readFile(path.join(REPO_ROOT, 'deploy', 'kubernetes', file), 'utf8');
  return parseAllDocuments(text).map((doc) => doc.toJS() as Manifest);
}

function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  assert.ok(match, `a Mi or Gi quantity: ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

test('api.yaml: probes on /readyz and /healthz, Service and HPA on the Deployment, memory above the measured peak', async () => {
  const docs = await manifests('api.yaml');
  const deployment = docs.find((d) => d.kind === 'Deployment')!;
  const service = docs.find((d) => d.kind === 'Service')!;
  const hpa = docs.find((d) => d.kind === 'HorizontalPodAutoscaler')!;
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];
  assert.equal(container.readinessProbe.httpGet.path, '/readyz');
  assert.equal(container.livenessProbe.httpGet.path, '/healthz');
  const port = container.env.find((e: { name: string }) => e.name === 'PORT').value;
  assert.equal(container.ports.find((p: { name: string }) => p.name === 'http').containerPort, Number(port));
  assert.ok(mebibytes(container.resources.requests.memory) >= MEASURED_PEAK_RSS_MIB);
  assert.ok(mebibytes(container.resources.limits.memory) > mebibytes(container.resources.requests.memory));
  assert.deepEqual(service.spec.selector, pod.metadata.labels);
  assert.deepEqual(deployment.spec.selector.matchLabels, pod.metadata.labels);
  assert.equal(hpa.spec.scaleTargetRef.name, deployment.metadata.name);
  assert.ok(container.resources.requests.cpu, 'an HPA on CPU utilization needs a CPU request');
});

test('batch-worker.yaml runs `faceread worker` with the Redis URL from a Secret', async () => {
  const [deployment] = await manifests('batch-worker.yaml');
  const container = deployment!.spec.template.spec.containers[0];
  assert.equal(container.args[0], 'worker');
  assert.equal(container.env.find((e: { name: string }) => e.name === 'FACEREAD_REDIS_URL').valueFrom.secretKeyRef.key, 'url');
  assert.ok(mebibytes(container.resources.requests.memory) >= MEASURED_PEAK_RSS_MIB);
});

test('systemd units run files the build produces', async () => {
  for (const unit of ['faceread.service', 'faceread-worker.service']) {
    const text = await readFile(path.join(REPO_ROOT, 'deploy', unit), 'utf8');
    const exec = /^ExecStart=\/usr\/bin\/node \/opt\/faceread\/(\S+)/m.exec(text);
    assert.ok(exec, `${unit} has an ExecStart under /opt/faceread`);
    assert.ok(existsSync(path.join(REPO_ROOT, exec[1]!)), `${exec[1]} exists after the build`);
    assert.match(text, /^KillSignal=SIGTERM$/m);
  }
});
