import { synthFiles } from '../../lib/cli/synth';
import { parsePlatform, readSpecFile } from '../../lib/spec';

describe('synth of worker pools', () => {
  const files = synthFiles(parsePlatform(readSpecFile('examples/three-clouds.yaml').document));

  it('writes the worker objects of each region in apply order: priority classes first, workloads after policies and storage', () => {
    const worker = [...files.keys()].filter((file) => file.startsWith('us-east/') && /worker|priorityclass/.test(file));
    expect(worker).toEqual([
      'us-east/01-priorityclass-acme-us-east-worker-placeholders.yaml',
      'us-east/01-priorityclass-acme-us-east-workers.yaml',
      'us-east/02-resourcequota-worker-placeholder-quota.yaml',
      'us-east/05-networkpolicy-worker-isolation.yaml',
      'us-east/09-configmap-worker-catalog.yaml',
      'us-east/10-persistentvolumeclaim-worker-shared.yaml',
      'us-east/12-deployment-worker-placeholder-cpu-general.yaml',
      'us-east/12-deployment-worker-placeholder-gpu-a10.yaml',
      'us-east/13-daemonset-worker-prepull-cpu-general.yaml',
      'us-east/13-daemonset-worker-prepull-gpu-a10.yaml',
    ]);
  });

  it('writes the catalog as readable JSON inside the ConfigMap YAML', () => {
    const yaml = files.get('us-east/09-configmap-worker-catalog.yaml')!;
    expect(yaml).toContain('catalog.json: |\n');
    expect(yaml).toContain('"version": "practicus.ai/worker-catalog/v1"');
  });
});
