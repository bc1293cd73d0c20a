import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { renderPlatform } from '../../lib/k8s';
import { parsePlatform, readStackFile } from '../../lib/spec';
import { readTree, REPO, runCli, tempDir, writeSpec } from '../helpers/cli';
import { devStackDocument, minimalPlatform } from '../helpers/platform';
import { schemaFailures } from '../helpers/kube-schema';

/** A dev-stack document with several mistakes in different places. */
function brokenDocument(): Record<string, any> {
  const document = devStackDocument();
  document.regions[0].modelDeployments[1].resources.memory = '8 gigs';
  document.regions[0].modelPrefixes[0].models[0].versions[0].weight = 80;
  document.regions[1].colour = 'blue';
  return document;
}

describe('practicus-infra validate', () => {
  it('accepts the dev stack (the default input) and exits 0', () => {
    const run = runCli(['validate']);
    expect(run).toEqual({
      code: 0,
      stdout: 'stacks/Pulumi.dev.yaml: valid — platform acme (dev), 2 regions, 2 models\n',
      // The dev stack lists an app and add-ons, which this version accepts but does not deploy: it says so.
      stderr: [
        'note: region eu-west: add-ons (airflow) are accepted but not installed: this version has no AddOn component yet',
        'note: region us-east: apps (genai/chat-assistant) are accepted but not deployed: this version has no AppHost component yet',
        'note: region us-east: add-ons (mlflow) are accepted but not installed: this version has no AddOn component yet',
        '',
      ].join('\n'),
    });
  });

  it('accepts --stack prod', () => {
    expect(runCli(['validate', '--stack', 'prod']).code).toBe(0);
  });

  it('lists every problem as path: message and exits 1', () => {
    const file = writeSpec(brokenDocument());
    const run = runCli(['validate', '--file', file]);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').slice(1)).toEqual([
      'regions[0].modelDeployments[1].resources.memory: "8 gigs" is not a Kubernetes quantity (e.g. "500m", "4", "16Gi")',
      'regions[1].colour: unknown key (not part of the spec: check its spelling)',
      '',
    ]);
  });

  it('prints machine-readable problems with --json', () => {
    const run = runCli(['validate', '--json', '--file', writeSpec(brokenDocument())]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({ path: 'regions[1].colour', message: 'unknown key (not part of the spec: check its spelling)' });
  });

  it.each([
    ['a YAML syntax error, with its line', 'platform:\n  name: acme\n  regions: [\n', /spec\.yaml:4:1: YAML syntax error/],
    ['an empty file', '', /the file is empty: expected a mapping with the top key "platform"/],
    ['a list instead of a mapping', '- platform\n', /expected a mapping at the top, found a list/],
    ['a missing platform key', 'platfrom: {}\n', /platform: required: .*has no "platform" key\nplatfrom: unknown top-level key/],
    ['a YAML tag it does not read, with its line', 'platform: !!binary aGVsbG8=\n', /spec\.yaml:1:11: YAML tag not supported: Unresolved tag: !!binary/],
    [
      'aliases that expand without bound',
      'platform:\n  a: &a [x,x,x,x,x,x,x,x,x]\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
      /its aliases expand beyond 100 copies/,
    ],
  ])('reports %s without a stack trace and exits 1', (_, text, message) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'spec.yaml'), text);
    const run = runCli(['validate', '--file', 'spec.yaml'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\s+at .*\.js:\d+/);
  });

  it('expands YAML merge keys, so shared settings can be written once', () => {
    const dir = tempDir();
    const text = [
      'defaults: &host { image: ghcr.io/acme/host:1.0, resources: { cpu: "1", memory: 1Gi } }',
      'platform:',
      '  name: acme',
      '  environment: dev',
      '  domain: ai.acme.example',
      '  identity: { issuer: https://auth.acme.example, jwksUri: https://auth.acme.example/jwks }',
      '  regions:',
      '    - name: lab',
      '      cloud: onprem',
      '      location: dc1',
      '      cluster: { context: lab }',
      '      quota: { cpu: "8", memory: 32Gi }',
      '      modelDeployments:',
      '        - { <<: *host, name: cpu-a }',
      '        - { <<: *host, name: cpu-b }',
      '',
    ].join('\n');
    writeFileSync(path.join(dir, 'spec.yaml'), text);
    const run = runCli(['validate', '--file', 'spec.yaml'], dir);
    // The file's only unknown key is the anchor holder at the top: everything the merges fill in is accepted.
    expect(run.stderr).toMatch(/^error: 1 problem:\ndefaults: unknown top-level key/);
  });

  it('reports a missing file and a missing stack file', () => {
    expect(runCli(['validate', '--file', 'nope.yaml']).stderr).toMatch(/nope\.yaml: no such file/);
    const run = runCli(['validate', '--stack', 'qa']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/stacks\/Pulumi\.qa\.yaml: no such file/);
  });

  it('exits 2 on a wrong command line', () => {
    expect(runCli(['validate', '--colour']).code).toBe(2);
    expect(runCli(['validate', '--file', 'a.yaml', '--stack', 'dev']).code).toBe(2);
    expect(runCli(['deploy']).code).toBe(2);
  });
});

describe('practicus-infra synth', () => {
  it('writes one folder per region whose files are exactly the rendered objects', () => {
    const out = path.join(tempDir(), 'dist');
    const run = runCli(['synth', '--out', out]);
    expect(run.code).toBe(0);
    // 11 region objects, the health route of the global API that lists the region, 8 worker objects
    // (2 priority classes, placeholder quota, catalog, isolation policy, ~/shared claim, 2 placeholder Deployments)
    // and 19 of model hosting.
    expect(run.stdout).toMatch(/us-east\/ {2}39 objects/);
    const tree = readTree(out);
    const platform = parsePlatform(readStackFile(path.join(REPO, 'stacks/Pulumi.dev.yaml')).document);
    for (const [region, groups] of renderPlatform(platform)) {
      const written = Object.entries(tree)
        .filter(([file]) => file.startsWith(`${region}/`))
        .map(([, text]) => parse(text));
      // Every rendered object of every group of the region, and nothing else.
      const key = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      const byKey = (objects: any[]) => [...objects].sort((a, b) => key(a).localeCompare(key(b)));
      expect(byKey(written)).toEqual(byKey(groups.flatMap((group) => group.objects)));
    }
    expect(readdirSync(out).sort()).toEqual(['.practicus-infra-synth', 'eu-west', 'us-east']);
  });

  it('writes objects that pass the real Kubernetes and Istio schemas', () => {
    const out = path.join(tempDir(), 'dist');
    expect(runCli(['synth', '--out', out]).code).toBe(0);
    const objects = Object.entries(readTree(out))
      .filter(([file]) => file.endsWith('.yaml'))
      .map(([, text]) => parse(text));
    expect(objects.length).toBeGreaterThan(0);
    expect(schemaFailures(objects)).toEqual([]);
  });

  it('gives byte-identical output whatever the order of the spec lists, and replaces its own earlier output', () => {
    const out = path.join(tempDir(), 'dist');
    const document = devStackDocument();
    expect(runCli(['synth', '--file', writeSpec(document), '--out', out]).code).toBe(0);
    const first = readTree(out);
    document.regions.reverse();
    for (const region of document.regions) {
      region.workerPools.reverse();
      region.modelDeployments.reverse();
      for (const prefix of region.modelPrefixes) for (const model of prefix.models) model.versions.reverse();
    }
    expect(runCli(['synth', '--file', writeSpec(document), '--out', out]).code).toBe(0);
    expect(readTree(out)).toEqual(first);
  });

  it('writes nothing when the spec has problems, and leaves earlier output as it was', () => {
    const dir = tempDir();
    const out = path.join(dir, 'dist');
    const fresh = runCli(['synth', '--file', writeSpec(brokenDocument(), dir), '--out', out]);
    expect(fresh.code).toBe(1);
    expect(fresh.stderr).toMatch(/2 problems in .*spec\.yaml:\nregions\[0\]\.modelDeployments\[1\]\.resources\.memory/);
    expect(fresh.stderr).toMatch(/nothing was written/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual(['spec.yaml']);

    expect(runCli(['synth', '--file', writeSpec(minimalPlatform(), dir, 'good.yaml'), '--out', out]).code).toBe(0);
    const before = readTree(out);
    expect(runCli(['synth', '--file', path.join(dir, 'spec.yaml'), '--out', out]).code).toBe(1);
    expect(readTree(out)).toEqual(before);
  });

  it('refuses to replace a directory it did not write (exit 3)', () => {
    const out = tempDir();
    mkdirSync(path.join(out, 'keep'));
    writeFileSync(path.join(out, 'keep', 'notes.txt'), 'mine');
    const run = runCli(['synth', '--out', out]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/refusing to replace .*: it is not empty and was not written by practicus-infra synth/);
    expect(readTree(out)).toEqual({ 'keep/notes.txt': 'mine' });
  });
});

describe('practicus-infra plan', () => {
  it('lists a Region, a Kubernetes provider and a ConfigGroup per region, offline', () => {
    const run = runCli(['plan', '--json']);
    expect(run.code).toBe(0);
    const { resources } = JSON.parse(run.stdout) as { resources: { type: string; name: string; parent: string | null }[] };
    for (const region of ['us-east', 'eu-west']) {
      expect(resources).toContainEqual(expect.objectContaining({ type: 'practicus:index:Region', name: `acme-${region}`, parent: 'acme' }));
      expect(resources).toContainEqual(
        expect.objectContaining({ type: 'pulumi:providers:kubernetes', name: `acme-${region}-kubernetes`, parent: `acme-${region}` }),
      );
      expect(resources).toContainEqual(
        expect.objectContaining({ type: 'kubernetes:yaml/v2:ConfigGroup', name: `acme-${region}-objects`, parent: `acme-${region}` }),
      );
    }
  });

  it('prints a readable tree grouped by region and never a secret', () => {
    const run = runCli(['plan']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^us-east$/m);
    expect(run.stdout).toMatch(/practicus:index:Region +acme-us-east/);
    expect(run.stdout).not.toMatch(/BEGIN CERTIFICATE|client-key-data|token:/);
  });

  it('refuses a broken spec with exit 1', () => {
    const run = runCli(['plan', '--file', writeSpec(brokenDocument())]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/regions\[1\]\.colour: unknown key/);
  });
});

describe('practicus-infra schema', () => {
  it('prints the JSON Schema of a spec file that is the committed one', () => {
    const run = runCli(['schema']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(readTree(path.join(REPO, 'schema'))['platform.schema.json']!));
  });

  it('writes both schemas, identical to the committed ones (run `npm run schema` after a spec change)', () => {
    const out = tempDir();
    expect(runCli(['schema', '--out', out]).code).toBe(0);
    expect(readTree(out)).toEqual(readTree(path.join(REPO, 'schema')));
  });
});
