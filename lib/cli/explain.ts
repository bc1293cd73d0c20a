/**
 * `practicus-infra explain <url>`: which deployments and versions serve a
 * URL, with their weights, what they receive, and the access rules that
 * apply. It renders the regions whose gateway serves the URL's host (the
 * very objects `synth` writes) and evaluates the URL against those objects
 * (`lib/k8s/explain.ts`), not against the spec — except for which versions
 * each model has, which no object lists: it passes the spec's version catalog,
 * so a `/v<N>/` of no version is told as such.
 */
import { explainUrl, formatExplanation, renderRegion, versionCatalog, type Explanation } from '../k8s';
import { gatewayHosts, type ResolvedPlatform } from '../spec';

/** A URL the command cannot explain (not an absolute http(s) URL). */
export class ExplainUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExplainUrlError';
  }
}

/** The parsed URL, or an `ExplainUrlError` saying what is wrong with it. */
export function parseExplainUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ExplainUrlError(`${JSON.stringify(url)} is not a URL: give one like https://<region host>/models/<prefix>/<model>/`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ExplainUrlError(`${JSON.stringify(url)} is not an http(s) URL: give one like https://<region host>/models/<prefix>/<model>/`);
  }
  return parsed;
}

/** What `explain` found: one explanation per region whose gateway serves the host, and every host the platform serves. */
export interface ExplainReport {
  readonly url: string;
  readonly explanations: readonly Explanation[];
  /** Every host a region gateway of the platform serves, sorted. */
  readonly hosts: readonly string[];
}

/** Explains a URL against the objects of the regions that serve its host. */
export function explainPlatformUrl(platform: ResolvedPlatform, url: string): ExplainReport {
  const host = parseExplainUrl(url).hostname;
  const serving = platform.regions.filter((region) => gatewayHosts(region).includes(host));
  const objects = serving.flatMap((region) => renderRegion(platform, region).flatMap((group) => group.objects));
  const hosts = [...new Set(platform.regions.flatMap((region) => gatewayHosts(region)))].sort();
  // The objects do not say which versions a model has (one route serves every /v<N>/ of a deployment): the spec does.
  const versions = versionCatalog(serving);
  return { url, explanations: serving.length > 0 ? explainUrl(objects, url, { versions }) : [], hosts };
}

/** The report as text. */
export function formatExplainReport(report: ExplainReport): string {
  if (report.explanations.length === 0) {
    const host = new URL(report.url).hostname;
    return `${report.url}\n  no region of the platform serves ${host} (hosts: ${report.hosts.join(', ')})\n`;
  }
  const regions = report.explanations.length > 1 ? `served by ${report.explanations.length} regions (DNS picks one per caller):\n\n` : '';
  return `${regions}${report.explanations.map(formatExplanation).join('\n')}`;
}
