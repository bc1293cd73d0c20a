/**
 * A cdk8s-only app: the platform's Kubernetes objects with no Pulumi at all.
 * Each region becomes a `Region` chart of `practicus-infra/cdk8s`, in an App
 * of your own, next to your own charts.
 *
 *   npx ts-node examples/cdk8s-app/main.ts examples/spec.yaml   # or compile it first
 *   kubectl apply -f cdk8s.out/
 */
import { App } from 'cdk8s';
import { Region } from 'practicus-infra/cdk8s';
import { parsePlatform, readSpecFile } from 'practicus-infra/spec';

/** Builds a cdk8s App with one `Region` chart per region of the spec file. */
export function buildApp(specFile: string, outdir = 'cdk8s.out'): App {
  const platform = parsePlatform(readSpecFile(specFile).document, specFile);
  const app = new App({ outdir });
  for (const region of platform.regions) {
    new Region(app, region.name, { platform, region });
  }
  return app;
}

if (require.main === module) {
  buildApp(process.argv[2] ?? 'examples/spec.yaml').synth();
}
