/** `practicus-infra explain`, run as users run it. */
import { runCli, writeSpec } from '../helpers/cli';
import { devStackDocument } from '../helpers/platform';

describe('practicus-infra explain', () => {
  it('shows the weighted split of the dev stack across deployments, with versions, what each host receives and the access rules (exit 0)', () => {
    const run = runCli(['explain', 'https://us-east.dev.ai.acme.example/models/fraud/credit-risk/score']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('route    acme-us-east/models-e5 http[4] "fraud/credit-risk:default", prefix /models/fraud/credit-risk/');
    expect(run.stdout).toContain('   90%  version 7 on model deployment shared-cpu (shared)');
    expect(run.stdout).toContain('   10%  version 8 on model deployment shared-gpu (shared)');
    expect(run.stdout).toContain('shared-gpu.acme-us-east.svc.cluster.local:80 receives /score');
    expect(run.stdout).toContain('headers x-practicus-model: fraud/credit-risk, x-practicus-model-version: 8');
    expect(run.stdout).toContain('claim practicus_scopes holds "fraud/credit-risk" or "fraud"; claim groups holds "risk"');
  });

  it('explains an external version of a spec file: TLS to the legacy host, its path, and the token checks on the gateway', () => {
    const run = runCli(['explain', 'https://eu.models.acme.example/models/fraud/aml-screening/v3/screen', '--file', 'examples/model-catalog.yaml']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      '100%  version 3 on external https://aml.legacy.acme.example (TLS SIMPLE, SNI aml.legacy.acme.example, certificate verified for aml.legacy.acme.example)',
    );
    expect(run.stdout).toContain('aml.legacy.acme.example:80 receives /v3/screen (Host aml.legacy.acme.example)');
    expect(run.stdout).toContain('headers x-practicus-model: fraud/aml-screening, x-practicus-model-version: 3; removed authorization\n');
    expect(run.stdout).toContain("the caller's token (Authorization) is removed: it stays in the mesh");
    expect(run.stdout).toContain('denied when: no valid token from https://login.acme.example');
  });

  it('says when a /v<N>/ names no version of the model, and where a version lives when the slash is missing', () => {
    const unknown = runCli(['explain', 'https://us-east.dev.ai.acme.example/models/fraud/credit-risk/v99/']);
    expect(unknown.code).toBe(0);
    expect(unknown.stdout).toContain('100%  no such version 99: forwarded to model deployment shared-cpu (shared), which answers 404');
    expect(unknown.stdout).not.toContain('version 99 on');
    const noSlash = runCli(['explain', 'https://us-east.dev.ai.acme.example/models/fraud/credit-risk/v8']);
    expect(noSlash.stdout).toContain(
      'note     the path has no slash after /v8: the routes of /v<N>/ match only with it, so model deployment shared-cpu (shared) receives /v8, which names no version (version 8 of fraud/credit-risk lives on shared-gpu, reached at /models/fraud/credit-risk/v8/)',
    );
  });

  it('explains a global API host once per region that serves it', () => {
    const run = runCli(['explain', 'https://api.dev.ai.acme.example/models/fraud/credit-risk/latest/']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^served by 2 regions/);
    expect(run.stdout).toContain('gateway  acme-eu-west/region-gateway');
    expect(run.stdout).toContain('gateway  acme-us-east/region-gateway');
  });

  it('prints JSON with --json', () => {
    const run = runCli(['explain', 'https://us-east.dev.ai.acme.example/models/fraud/credit-risk/v9/', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report)).toEqual(['url', 'explanations', 'hosts']);
    expect(report.explanations[0].destinations[0]).toMatchObject({
      version: 9,
      versionFrom: 'path',
      path: '/v9/',
      servedBy: { kind: 'model-deployment', deployment: 'shared-cpu' },
    });
  });

  it('says when no route or no region serves the URL', () => {
    expect(runCli(['explain', 'https://us-east.dev.ai.acme.example/models/fraud/nope/']).stdout).toContain('the gateway answers 404');
    expect(runCli(['explain', 'https://us-east.dev.ai.acme.example/models/fraud/credit-risk/production/']).stdout).toContain(
      'route    acme-us-east/models-e5 http[3]',
    );
    const elsewhere = runCli(['explain', 'https://elsewhere.example/models/fraud/credit-risk/']);
    expect(elsewhere).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(
        'no region of the platform serves elsewhere.example (hosts: api.dev.ai.acme.example, eu-west.dev.ai.acme.example, us-east.dev.ai.acme.example)',
      ),
    });
  });

  it('refuses a malformed URL with exit 2, and a broken spec with exit 1, without a stack trace', () => {
    const bad = runCli(['explain', 'models/fraud/credit-risk']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toContain('error: "models/fraud/credit-risk" is not a URL: give one like https://<region host>/models/<prefix>/<model>/');
    const document = devStackDocument();
    document.regions[0].modelPrefixes[0].models[0].versions[0].weight = 80;
    const broken = runCli(['explain', 'https://us-east.dev.ai.acme.example/models/fraud/credit-risk/', '--file', writeSpec(document)]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('regions[0].modelPrefixes[0].models[0].versions: weights sum to 90, expected 100');
    expect(broken.stderr).not.toMatch(/\n\s+at /);
  });
});
