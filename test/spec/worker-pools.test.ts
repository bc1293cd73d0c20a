import fc from 'fast-check';
import {
  agentPoolName,
  allocatableOf,
  awsArchitecture,
  largestWorkerSize,
  nodeShape,
  parsePlatform,
  placeholderPriorityClassName,
  placeholderTotals,
  poolNodeLabels,
  poolNodeSelector,
  poolNodeTaints,
  poolTolerations,
  readSpecFile,
  reservedCpu,
  workerCatalog,
  workerPriorityClassName,
  type WorkerSizeSpec,
} from '../../lib/spec';

describe('node shapes', () => {
  it.each([
    [1, 0.06],
    [2, 0.07],
    [4, 0.08],
    [8, 0.09],
    [16, 0.11],
    [64, 0.23],
  ])('reserves the EKS/GKE CPU ladder on a %d-core node: %d cores', (cores, reserved) => {
    expect(reservedCpu(cores)).toBeCloseTo(reserved, 10);
  });

  it('offers less than capacity, and more on bigger nodes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 448 }), fc.integer({ min: 1, max: 448 }), (a, b) => {
        const [small, big] = a <= b ? [a, b] : [b, a];
        const offer = (cpu: number) => allocatableOf({ cpu, memoryGiB: cpu * 4 });
        return (
          offer(small).cpu < small &&
          offer(small).memory < small * 4 * 2 ** 30 &&
          offer(small).cpu <= offer(big).cpu &&
          offer(small).memory <= offer(big).memory
        );
      }),
    );
  });

  it('knows common instance types and VM sizes with their GPUs', () => {
    expect(nodeShape('g5.2xlarge')).toEqual({ cpu: 8, memoryGiB: 32, gpu: 1 });
    expect(nodeShape('Standard_NC4as_T4_v3')).toEqual({ cpu: 4, memoryGiB: 28, gpu: 1 });
    expect(nodeShape('m7g.xlarge')).toEqual({ cpu: 4, memoryGiB: 16, arch: 'arm64' });
    expect(nodeShape('Standard_E8ds_v5')).toEqual({ cpu: 8, memoryGiB: 64 });
    expect(nodeShape('toString')).toBeUndefined();
    expect(nodeShape('z1.unknown')).toBeUndefined();
  });

  it.each([
    ['m6i.2xlarge', 'x86_64'],
    ['g5.2xlarge', 'x86_64'],
    ['g4dn.xlarge', 'x86_64'],
    ['p5.48xlarge', 'x86_64'],
    ['m7i-flex.large', 'x86_64'],
    ['m7g.large', 'arm64'],
    ['c7gn.xlarge', 'arm64'],
    ['r6gd.large', 'arm64'],
    ['g5g.xlarge', 'arm64'],
  ])('reads the CPU architecture of %s from its name: %s', (type, arch) => {
    expect(awsArchitecture(type)).toBe(arch);
  });
});

describe('worker pool facts', () => {
  const gpuSpot = { name: 'gpu-t4', gpu: { count: 1, model: 'nvidia-t4' }, capacity: 'spot' as const };
  const region = { namespace: 'acme-eu-west' };

  it('labels nodes with the namespace, pool and GPU model, and selects on namespace and pool', () => {
    expect(poolNodeLabels(region, gpuSpot)).toEqual({
      'practicus.ai/namespace': 'acme-eu-west',
      'practicus.ai/worker-pool': 'gpu-t4',
      'practicus.ai/gpu-model': 'nvidia-t4',
    });
    expect(poolNodeLabels(region, { name: 'cpu' })).toEqual({ 'practicus.ai/namespace': 'acme-eu-west', 'practicus.ai/worker-pool': 'cpu' });
    expect(poolNodeSelector(region, gpuSpot)).toEqual({ 'practicus.ai/namespace': 'acme-eu-west', 'practicus.ai/worker-pool': 'gpu-t4' });
  });

  it.each([
    ['aws', { capacity: 'on-demand' as const }, [], []],
    ['aws', { capacity: 'spot' as const }, [], []],
    [
      'aws',
      { capacity: 'spot' as const, gpu: { count: 1, model: 'a' } },
      [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
      [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    ],
    [
      'azure',
      { capacity: 'spot' as const },
      [{ key: 'kubernetes.azure.com/scalesetpriority', value: 'spot', effect: 'NoSchedule' }],
      [{ key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot', effect: 'NoSchedule' }],
    ],
    [
      'azure',
      { capacity: 'spot' as const, gpu: { count: 1, model: 'a' } },
      [
        { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' },
        { key: 'kubernetes.azure.com/scalesetpriority', value: 'spot', effect: 'NoSchedule' },
      ],
      [
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot', effect: 'NoSchedule' },
      ],
    ],
    [
      'onprem',
      { capacity: 'spot' as const, gpu: { count: 2, model: 'a' } },
      [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }],
      [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    ],
  ] as const)('%s %j: taints nodes and tolerates exactly those taints', (cloud, pool, taints, tolerations) => {
    expect(poolNodeTaints({ cloud }, pool)).toEqual(taints);
    expect(poolTolerations({ cloud }, pool)).toEqual(tolerations);
  });

  it('names the cluster-scoped priority classes after the region namespace', () => {
    expect(workerPriorityClassName(region)).toBe('acme-eu-west-workers');
    expect(placeholderPriorityClassName(region)).toBe('acme-eu-west-worker-placeholders');
  });

  it('derives the AKS agent pool name from the pool name unless given', () => {
    expect(agentPoolName({ name: 'gpu-t4' })).toBe('gput4');
    expect(agentPoolName({ name: 'gpu-t4', agentPoolName: 'gpu' })).toBe('gpu');
  });

  const size = (name: string, cpu: string, memory: string, gpu = 0): WorkerSizeSpec => ({ name, cpu, memory, gpu });

  it('picks the largest worker size by GPUs, then memory, then CPU', () => {
    expect(largestWorkerSize({ workerSizes: [] })).toBeUndefined();
    expect(largestWorkerSize({ workerSizes: [size('a', '16', '64Gi'), size('b', '2', '8Gi', 1)] })?.name).toBe('b');
    expect(largestWorkerSize({ workerSizes: [size('a', '16', '16Gi'), size('b', '2', '32Gi')] })?.name).toBe('b');
    expect(largestWorkerSize({ workerSizes: [size('a', '4', '16Gi'), size('b', '4000m', '16384Mi')] })?.name).toBe('a');
  });

  it('picks the same largest size whatever the order of sizes (property)', () => {
    const sizes = fc.uniqueArray(
      fc.record({
        name: fc.stringMatching(/^[a-z]{1,6}$/),
        cpu: fc.integer({ min: 1, max: 8 }).map(String),
        memory: fc.integer({ min: 1, max: 8 }).map((gi) => `${gi}Gi`),
        gpu: fc.integer({ min: 0, max: 2 }),
      }),
      { minLength: 1, selector: (s) => s.name },
    );
    fc.assert(
      fc.property(sizes, (workerSizes) => {
        const largest = largestWorkerSize({ workerSizes })!;
        const reversed = largestWorkerSize({ workerSizes: [...workerSizes].reverse() })!;
        // Nothing is larger in GPUs; among equal GPUs nothing has more memory.
        const dominated = workerSizes.every((s) => s.gpu < largest.gpu || (s.gpu === largest.gpu && parseInt(s.memory) <= parseInt(largest.memory)));
        return reversed.name === largest.name && dominated;
      }),
    );
  });
});

describe('placeholder totals (the placeholder quota)', () => {
  type Pool = Parameters<typeof placeholderTotals>[0]['workerPools'][number];
  const pool = (warmWorkers: number, workerSizes: WorkerSizeSpec[]) => ({ warmWorkers, workerSizes }) as unknown as Pool;
  const size = (name: string, cpu: string, memory: string, gpu = 0): WorkerSizeSpec => ({ name, cpu, memory, gpu });

  it('sums warmWorkers × the largest size over the pools with placeholders', () => {
    const us = parsePlatform(readSpecFile('examples/three-clouds.yaml').document).regions.find((r) => r.name === 'us-east')!;
    // cpu-general: 2 × medium (4, 16Gi); gpu-a10: 1 × gpu-small (4, 16Gi, 1 GPU).
    expect(placeholderTotals(us)).toEqual({ pods: 3, cpu: '12', memory: '48Gi', gpu: 1 });
    expect(placeholderTotals({ workerPools: [pool(0, [size('a', '4', '16Gi', 1)]), pool(3, [])] })).toEqual({ pods: 0, cpu: '0', memory: '0', gpu: 0 });
  });

  it('adds quantities exactly, whatever their units, and rounds finer than a millicore or a byte up', () => {
    expect(placeholderTotals({ workerPools: [pool(3, [size('a', '0.1', '1.5Gi')]), pool(1, [size('b', '250m', '512Mi')])] })).toEqual({
      pods: 4,
      cpu: '550m',
      memory: '5Gi',
      gpu: 0,
    });
    // 2 × (1.5, 1000M) + (0.1 millicore → 1m, 1k) + (1, 1.5 bytes → 2): no binary unit divides the bytes.
    const pools = [pool(2, [size('a', '1500m', '1000M')]), pool(1, [size('b', '0.0001', '1k')]), pool(1, [size('c', '1', '1500m')])];
    expect(placeholderTotals({ workerPools: pools })).toEqual({ pods: 4, cpu: '4001m', memory: '2000001002', gpu: 0 });
  });
});

describe('worker catalog', () => {
  const platform = parsePlatform(readSpecFile('examples/three-clouds.yaml').document);
  const euWest = platform.regions.find((r) => r.name === 'eu-west')!;

  it('lists each pool with its sizes, images, IDEs and placement, plus the storage claims', () => {
    expect(workerCatalog(euWest, { 'practicus.ai/region': 'eu-west' })).toEqual({
      version: 'practicus.ai/worker-catalog/v1',
      region: 'eu-west',
      namespace: 'acme-eu-west',
      worker: { labels: { 'app.kubernetes.io/component': 'worker' }, priorityClassName: 'acme-eu-west-workers' },
      storage: {
        my: {
          claimName: 'my-{user}',
          mountPath: '~/my',
          claim: {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: { name: 'my-{user}', namespace: 'acme-eu-west', labels: { 'practicus.ai/region': 'eu-west', 'app.kubernetes.io/component': 'worker' } },
            spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'managed-csi-premium', resources: { requests: { storage: '20Gi' } } },
          },
        },
        shared: { claimName: 'worker-shared', mountPath: '~/shared' },
      },
      pools: [
        {
          name: 'cpu-general',
          capacity: 'on-demand',
          gpu: null,
          sizes: [{ name: 'small', cpu: '2', memory: '8Gi', gpu: 0 }],
          images: ['ghcr.io/acme/worker:2025.1'],
          ides: ['jupyterlab', 'vscode'],
          nodeSelector: { 'practicus.ai/namespace': 'acme-eu-west', 'practicus.ai/worker-pool': 'cpu-general' },
          tolerations: [],
        },
        {
          name: 'gpu-t4',
          capacity: 'spot',
          gpu: { count: 1, model: 'nvidia-t4' },
          sizes: [{ name: 'gpu-small', cpu: '3', memory: '24Gi', gpu: 1 }],
          images: ['ghcr.io/acme/worker-gpu:2025.1'],
          ides: ['jupyterlab', 'vscode'],
          nodeSelector: { 'practicus.ai/namespace': 'acme-eu-west', 'practicus.ai/worker-pool': 'gpu-t4' },
          tolerations: [
            { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
            { key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot', effect: 'NoSchedule' },
          ],
        },
      ],
    });
  });

  it('leaves out storage the region does not have', () => {
    const { storage: _drop, ...bare } = euWest;
    expect(workerCatalog(bare, {}).storage).toEqual({});
  });
});
