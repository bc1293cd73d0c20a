import { renderRegion } from '../../lib/k8s';
import { parsePlatform, readStackFile } from '../../lib/spec';
import { schemaFailures } from '../helpers/kube-schema';

describe('schema check helper', () => {
  const platform = parsePlatform(readStackFile('stacks/Pulumi.dev.yaml').document);
  const objects = platform.regions.flatMap((region) => renderRegion(platform, region).flatMap((group) => group.objects));
  it('passes the real objects', () => {
    expect(schemaFailures(objects as never)).toEqual([]);
  });
  it('rejects an unknown field in an Istio spec', () => {
    const gateway = objects.find((o) => o.kind === 'Gateway')!;
    const broken = { ...gateway, spec: { ...(gateway['spec'] as object), selectr: { a: 'b' } } };
    expect(schemaFailures([broken as never])[0]?.errors).toMatch(/additional properties/);
  });
  it('rejects a value outside an Istio enum', () => {
    const peer = objects.find((o) => o.kind === 'PeerAuthentication')!;
    const broken = { ...peer, spec: { mtls: { mode: 'STRICTLY' } } };
    expect(schemaFailures([broken as never])).toHaveLength(1);
  });
  it('rejects names and labels the API server refuses', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: '1cpu', labels: { ok: 'yes' } }, spec: {} };
    expect(schemaFailures([service as never])[0]?.errors).toMatch(/metadata.name "1cpu" is not a valid Service name/);
    const quota = objects.find((o) => o.kind === 'ResourceQuota')!;
    const badLabel = { ...quota, metadata: { ...quota.metadata, labels: { 'a b': 'c' } } };
    expect(schemaFailures([badLabel as never])[0]?.errors).toMatch(/label key "a b" is invalid/);
  });
  it('rejects a Kubernetes object of the wrong shape', () => {
    const quota = objects.find((o) => o.kind === 'ResourceQuota')!;
    const broken = { ...quota, spec: { hard: 'everything' } };
    expect(schemaFailures([broken as never])).toHaveLength(1);
  });
});
