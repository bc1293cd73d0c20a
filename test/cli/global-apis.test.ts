/**
 * The real command on global APIs: the two-cloud example validates and
 * synthesizes gateways that accept the global hosts; global API mistakes are
 * reported as `path: message` with exit 1 and nothing written.
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { readTree, runCli, tempDir, writeSpec } from '../helpers/cli';
import { minimalPlatform } from '../helpers/platform';
import { schemaFailures } from '../helpers/kube-schema';

const EXAMPLE = 'examples/global-apis.yaml';

/** One region (us-east) with global APIs that make the mistakes. */
function brokenDocument(): Record<string, any> {
  const document = minimalPlatform();
  document.globalApis = [
    { host: 'api.acme.example', regions: ['us-east', 'mars'], dns: { provider: 'route53' } },
    { host: 'api.acme.example', regions: ['us-east'], routing: 'failover', dns: { provider: 'traffic-manager', resourceGroup: 'rg' } },
    { host: 'geo.acme.example', regions: ['us-east'], routing: 'geo', dns: { provider: 'route53', zone: 'acme.example' } },
    { host: 'w.acme.example', regions: ['us-east'], routing: 'weighted', dns: { provider: 'traffic-manager', resourceGroup: 'rg' } },
    { host: 'us-east.ai.acme.example', regions: ['us-east'], dns: { provider: 'traffic-manager', resourceGroup: 'rg' } },
  ];
  return document;
}

describe('practicus-infra on global APIs', () => {
  it('validates the two-cloud example', () => {
    expect(runCli(['validate', '--file', EXAMPLE])).toEqual({
      code: 0,
      stdout: 'examples/global-apis.yaml: valid — platform acme (prod), 3 regions, 0 models\n',
      stderr: '',
    });
  });

  it('reports every global API mistake as path: message and exits 1', () => {
    const run = runCli(['validate', '--file', writeSpec(brokenDocument())]);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').slice(1)).toEqual([
      'globalApis[0].dns.zone: required for dns.provider route53',
      'globalApis[0].regions[1]: "mars" is not a region of the platform (known: us-east)',
      'globalApis[1].host: global API host "api.acme.example" is already used by globalApis[0]',
      'globalApis[1].regions: failover needs at least 2 regions, found 1',
      'globalApis[2].locations: required for routing geo: give each region of the API its locations, e.g. {eu-west: [GEO-EU], us-east: [WORLD]}',
      'globalApis[3].weights: required for routing weighted: give each region of the API its weights, e.g. {us-east: 70, eu-west: 30}',
      'globalApis[4].host: "us-east.ai.acme.example" is already the host of regions[0]',
      '',
    ]);
  });

  it('writes nothing for a spec with global API mistakes', () => {
    const dir = tempDir();
    const out = path.join(dir, 'dist');
    const run = runCli(['synth', '--file', writeSpec(brokenDocument(), dir), '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: 7 problems in .*spec\.yaml:\nglobalApis\[0\]\.dns\.zone: required for dns\.provider route53\n/);
    expect(run.stderr).toMatch(/nothing was written\.\n$/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual(['spec.yaml']);
  });

  it('synthesizes gateways, token rules and health routes that accept the global hosts and pass the real schemas', () => {
    const out = path.join(tempDir(), 'dist');
    expect(runCli(['synth', '--file', EXAMPLE, '--out', out]).code).toBe(0);
    const tree = readTree(out);
    const objects = Object.entries(tree)
      .filter(([file]) => file.endsWith('.yaml'))
      .map(([file, text]) => ({ file, object: parse(text) }));
    expect(schemaFailures(objects.map((o) => o.object))).toEqual([]);

    const gatewayHosts = (region: string) =>
      objects
        .find((o) => o.file.startsWith(`${region}/`) && o.object.kind === 'Gateway')!
        .object.spec.servers.filter((s: { port: { protocol: string } }) => s.port.protocol === 'HTTPS')
        .map((s: { hosts: string[]; tls: { credentialName: string } }) => [s.hosts, s.tls.credentialName]);
    expect(gatewayHosts('eu-west')).toEqual([
      [['eu-west.ai.acme.example'], 'acme-eu-west-tls'],
      [['api.acme.example'], 'api-acme-example-tls'],
      [['models.eu.acme.example'], 'models-eu-acme-example-tls'],
    ]);
    expect(gatewayHosts('dc-frankfurt')).toEqual([
      [['dc-frankfurt.ai.acme.example'], 'acme-dc-frankfurt-tls'],
      [['models.eu.acme.example'], 'models-eu-acme-example-tls'],
    ]);

    const audiences = objects.find((o) => o.file.startsWith('us-east/') && o.object.kind === 'RequestAuthentication')!.object.spec.jwtRules[0].audiences;
    expect(audiences).toEqual(['us-east.ai.acme.example', 'api.acme.example']);
    expect(Object.keys(tree).filter((file) => file.includes('virtualservice'))).toEqual([
      'dc-frankfurt/19-virtualservice-region-health.yaml',
      'eu-west/19-virtualservice-region-health.yaml',
      'us-east/19-virtualservice-region-health.yaml',
    ]);
  });
});
