/** Small platforms for tests: a minimal valid document, and the repo's dev stack. */
import { readStackFile } from '../../lib/spec';

/** A minimal valid platform document with one region on each cloud kind asked for. */
export function minimalPlatform(): Record<string, any> {
  return {
    name: 'acme',
    environment: 'dev',
    domain: 'ai.acme.example',
    identity: { issuer: 'https://auth.acme.example', jwksUri: 'https://auth.acme.example/jwks.json' },
    regions: [
      {
        name: 'us-east',
        cloud: 'aws',
        location: 'us-east-1',
        cluster: { name: 'acme-use1' },
        quota: { cpu: '100', memory: '400Gi', gpu: 4 },
      },
    ],
  };
}

/** The platform document of this repo's dev stack (a deep copy, safe to change). */
export function devStackDocument(): Record<string, any> {
  return structuredClone(readStackFile('stacks/Pulumi.dev.yaml').document) as Record<string, any>;
}
