/**
 * The examples are programs users copy: each one runs here as written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { readSpecFile } from '../lib/spec';
import { readTree, runCli, tempDir } from './helpers/cli';
import { devStackDocument } from './helpers/platform';
import { schemaFailures } from './helpers/kube-schema';

describe('examples/spec.yaml', () => {
  it('is a valid spec file', () => {
    expect(runCli(['validate', '--file', 'examples/spec.yaml'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/valid — platform demo \(test\), 2 regions/),
    });
  });
});

describe('examples/model-catalog.yaml', () => {
  it('is a valid spec file that synthesizes into objects passing the real Kubernetes and Istio schemas', () => {
    expect(runCli(['validate', '--file', 'examples/model-catalog.yaml'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/valid — platform acme \(prod\), 2 regions, 7 models/),
    });
    const out = path.join(tempDir(), 'dist');
    expect(runCli(['synth', '--file', 'examples/model-catalog.yaml', '--out', out]).code).toBe(0);
    const objects = Object.entries(readTree(out))
      .filter(([file]) => file.endsWith('.yaml'))
      .map(([, text]) => parse(text));
    expect(objects.map((o) => o.kind)).toEqual(
      expect.arrayContaining(['Deployment', 'VirtualService', 'ServiceEntry', 'DestinationRule', 'AuthorizationPolicy', 'ConfigMap']),
    );
    expect(schemaFailures(objects)).toEqual([]);
  });
});

describe('examples/cdk8s-app', () => {
  it('synthesizes one manifest per region, with objects that pass the real schemas', async () => {
    const { buildApp } = await import('../examples/cdk8s-app/main');
    const outdir = tempDir();
    buildApp('examples/spec.yaml', outdir).synth();
    expect(readdirSync(outdir).sort()).toEqual(['lab.k8s.yaml', 'us-west.k8s.yaml']);
    const objects = Object.values(readTree(outdir)).flatMap((text) => text.split(/^---$/m).map((doc) => parse(doc)));
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toContain('Gateway/region-gateway');
    expect(schemaFailures(objects)).toEqual([]);
    const labGateway = objects.find((o) => o.kind === 'Gateway' && o.metadata.namespace === 'demo-lab');
    expect(labGateway.spec.servers[0].tls.credentialName).toBe('lab-wildcard-tls');
  });
});

describe('examples/pulumi-program', () => {
  const registered: { type: string; name: string }[] = [];
  beforeAll(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, name: args.name });
          // The global API reads each region's ingress gateway Service for its load-balancer address:
          // an IP address for the dev stack's Azure region (eu-west), a host name for its AWS one.
          if (args.type === 'kubernetes:core/v1:Service' && args.id) {
            const ingress = args.name.endsWith('-eu-west-ingress') ? { ip: '203.0.113.40' } : { hostname: `${args.name}.lb.test.invalid` };
            return { id: args.id, state: { status: { loadBalancer: { ingress: [ingress] } } } };
          }
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => {
          if (args.token === 'aws:eks/getCluster:getCluster') {
            return { endpoint: 'https://offline.invalid', certificateAuthorities: [{ data: 'b2ZmbGluZQ==' }], name: args.inputs.name };
          }
          if (args.token === 'azure-native:containerservice:listManagedClusterUserCredentials') {
            return { kubeconfigs: [{ name: 'clusterUser', value: Buffer.from('apiVersion: v1\nkind: Config\n').toString('base64') }] };
          }
          if (args.token === 'aws:route53/getZone:getZone') return { id: 'ZTESTZONE', zoneId: 'ZTESTZONE', name: args.inputs.name };
          throw new Error(`unexpected call ${args.token}`);
        },
      },
      'my-platform',
      'dev',
      true,
    );
    pulumi.runtime.setAllConfig({
      'my-platform:platform': JSON.stringify(devStackDocument()),
      'my-platform:lab': JSON.stringify(readSpecFile(path.join('examples', 'spec.yaml')).document),
    });
  });

  it('declares the configured platform and the directly composed regions', async () => {
    const program = await import('../examples/pulumi-program/index');
    const settled = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));
    const namespaces = await Promise.all(program.labNamespaces.map(settled));
    expect(namespaces.sort()).toEqual(['demo-lab', 'demo-us-west']);
    // Waits until every registration the program started has reached the engine.
    await pulumi.runtime.disconnect();
    const names = registered.map((r) => `${r.type} ${r.name}`);
    expect(names).toEqual(expect.arrayContaining(['practicus:index:Platform acme', 'practicus:index:Region acme-us-east', 'practicus:index:Region lab-lab']));
  });
});

describe('examples/ci/platform.yml', () => {
  it('runs only commands the CLI has', () => {
    const workflow = parse(readFileSync('examples/ci/platform.yml', 'utf8'));
    const commands = Object.values(workflow.jobs as Record<string, { steps: { run?: string }[] }>)
      .flatMap((job) => job.steps)
      .map((step) => step.run)
      .filter((run): run is string => run?.startsWith('npx practicus-infra') ?? false);
    for (const command of commands) {
      const args = command.replace('npx practicus-infra ', '').split(' > ')[0]!.split(' ');
      const outIndex = args.indexOf('--out');
      if (outIndex !== -1) args[outIndex + 1] = path.join(tempDir(), 'dist');
      const stack = args[args.indexOf('--stack') + 1];
      expect({ command, code: runCli(args).code }).toEqual({ command, code: 0 });
      expect(['dev', 'prod']).toContain(stack);
    }
  });
});
