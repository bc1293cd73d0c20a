/**
 * Notices: what a spec may say that this version accepts but does not act
 * on yet. The command prints them (`note: …`) so a spec key is never ignored
 * in silence.
 */
import type { ResolvedPlatform } from './resolve';

/** Spec keys that are valid but not deployed yet, one sentence each (regions by name). */
export function notDeployedYet(platform: ResolvedPlatform): string[] {
  const notices: string[] = [];
  for (const region of platform.regions) {
    if (region.apps.length > 0) {
      const names = region.apps.map((app) => `${app.prefix}/${app.name}`).join(', ');
      notices.push(`region ${region.name}: apps (${names}) are accepted but not deployed: this version has no AppHost component yet`);
    }
    if (region.addOns.length > 0) {
      const kinds = region.addOns.map((addOn) => addOn.kind).join(', ');
      notices.push(`region ${region.name}: add-ons (${kinds}) are accepted but not installed: this version has no AddOn component yet`);
    }
  }
  return notices;
}
