import { eksAmiType, nodePoolTags } from '../../lib/cloud/node-pools';

describe('cloud node pool arguments', () => {
  it.each([
    [['m6i.2xlarge'], undefined, 'AL2023_x86_64_STANDARD'],
    [['m7g.2xlarge', 'c7g.2xlarge'], undefined, 'AL2023_ARM_64_STANDARD'],
    [['g5.2xlarge'], { count: 1, model: 'nvidia-a10g' }, 'AL2023_x86_64_NVIDIA'],
    [['g5g.xlarge'], { count: 1, model: 'nvidia-t4g' }, 'AL2023_ARM_64_NVIDIA'],
  ])('runs %j (gpu %j) on the %s AMI', (instanceTypes, gpu, amiType) => {
    expect(eksAmiType({ instanceTypes, gpu })).toBe(amiType);
  });

  it('tags node pools with keys both clouds accept (no "/")', () => {
    const tags = nodePoolTags({ name: 'acme', environment: 'prod' }, { name: 'us-east' }, { name: 'gpu' });
    expect(Object.keys(tags).filter((key) => key.includes('/'))).toEqual([]);
    expect(tags).toEqual({
      'managed-by': 'practicus-infra',
      'practicus-platform': 'acme',
      'practicus-environment': 'prod',
      'practicus-region': 'us-east',
      'practicus-worker-pool': 'gpu',
    });
  });
});
