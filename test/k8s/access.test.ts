import { docsAccess, modelAccess } from '../../lib/spec/access';
import { allowRules, denyRules, modelAllowRules } from '../../lib/k8s/model-access';

const prefix = (access: Partial<{ groups: string[]; users: string[]; tokens: 'required' | 'optional' }>) => ({
  name: 'fraud',
  access: { groups: [], users: [], tokens: 'required' as const, ...access },
});
const context = { gatewayNamespace: 'istio-system', issuer: 'https://login.acme.example' };

describe('access requirements', () => {
  it('opens a model with a token scoped to the model, or also to the prefix when it cascades prefix tokens', () => {
    expect(modelAccess(prefix({}), { name: 'credit-risk', cascadePrefixTokens: false })).toEqual({
      tokens: 'required',
      scopes: ['fraud/credit-risk'],
      groups: [],
      users: [],
    });
    expect(modelAccess(prefix({ groups: ['risk'] }), { name: 'credit-risk', cascadePrefixTokens: true })).toEqual({
      tokens: 'required',
      scopes: ['fraud/credit-risk', 'fraud'],
      groups: ['risk'],
      users: [],
    });
  });

  it('opens the prefix docs with a prefix token, and everything to anyone when tokens are optional', () => {
    expect(docsAccess(prefix({ users: ['alice'] }))).toEqual({ tokens: 'required', scopes: ['fraud'], groups: [], users: ['alice'] });
    expect(modelAccess(prefix({ tokens: 'optional' }), { name: 'm', cascadePrefixTokens: true })).toEqual({
      tokens: 'optional',
      scopes: [],
      groups: [],
      users: [],
    });
  });
});

describe('ALLOW rules at the model hosts', () => {
  it('require a platform token (requestPrincipals), the scope and the model header, through the gateway', () => {
    expect(allowRules(modelAccess(prefix({}), { name: 'm', cascadePrefixTokens: false }), context)).toEqual([
      {
        from: [{ source: { namespaces: ['istio-system'], requestPrincipals: ['https://login.acme.example/*'] } }],
        when: [{ key: 'request.auth.claims[practicus_scopes]', values: ['fraud/m'] }],
      },
    ]);
  });

  it('narrow to the groups, or to the users as token subjects, in separate rules (either one lets in)', () => {
    const rules = allowRules(modelAccess(prefix({ groups: ['risk'], users: ['alice'] }), { name: 'm', cascadePrefixTokens: false }), context);
    expect(rules).toEqual([
      {
        from: [{ source: { namespaces: ['istio-system'], requestPrincipals: ['https://login.acme.example/*'] } }],
        when: [
          { key: 'request.auth.claims[practicus_scopes]', values: ['fraud/m'] },
          { key: 'request.auth.claims[groups]', values: ['risk'] },
        ],
      },
      {
        from: [{ source: { namespaces: ['istio-system'], requestPrincipals: ['https://login.acme.example/alice'] } }],
        when: [{ key: 'request.auth.claims[practicus_scopes]', values: ['fraud/m'] }],
      },
    ]);
  });

  it('bind each model to its header, group open models into one rule, and never use a not* field', () => {
    const rules = modelAllowRules(
      [
        { key: 'fraud/a', access: { tokens: 'required', scopes: ['fraud/a'], groups: [], users: [] } },
        { key: 'public/b', access: { tokens: 'optional', scopes: [], groups: [], users: [] } },
        { key: 'public/c', access: { tokens: 'optional', scopes: [], groups: [], users: [] } },
      ],
      context,
    );
    expect(rules).toEqual([
      { from: [{ source: { namespaces: ['istio-system'] } }], when: [{ key: 'request.headers[x-practicus-model]', values: ['public/b', 'public/c'] }] },
      {
        from: [{ source: { namespaces: ['istio-system'], requestPrincipals: ['https://login.acme.example/*'] } }],
        when: [
          { key: 'request.headers[x-practicus-model]', values: ['fraud/a'] },
          { key: 'request.auth.claims[practicus_scopes]', values: ['fraud/a'] },
        ],
      },
    ]);
    expect(JSON.stringify(rules)).not.toMatch(/"not[A-Z]/);
  });
});

describe('DENY rules at the gateway (external versions)', () => {
  it('deny a model path without a valid token, without the scope, or outside the groups and users', () => {
    const rules = denyRules({ tokens: 'required', scopes: ['fraud/m', 'fraud'], groups: ['risk'], users: ['alice'] }, context.issuer, {
      hosts: ['eu.models.acme.example'],
      paths: ['/models/fraud/m/*'],
    });
    const to = [{ operation: { hosts: ['eu.models.acme.example'], paths: ['/models/fraud/m/*'] } }];
    expect(rules).toEqual([
      { to, from: [{ source: { notRequestPrincipals: ['https://login.acme.example/*'] } }] },
      { to, when: [{ key: 'request.auth.claims[practicus_scopes]', notValues: ['fraud/m', 'fraud'] }] },
      {
        to,
        from: [{ source: { notRequestPrincipals: ['https://login.acme.example/alice'] } }],
        when: [{ key: 'request.auth.claims[groups]', notValues: ['risk'] }],
      },
    ]);
  });

  it('deny nothing when tokens are optional', () => {
    expect(denyRules({ tokens: 'optional', scopes: [], groups: [], users: [] }, context.issuer, { hosts: ['h'], paths: ['/models/p/m/*'] })).toEqual([]);
  });
});
