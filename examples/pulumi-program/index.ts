/**
 * A Pulumi program in another IaC repo that imports the components: the
 * whole platform from its stack config, plus one region of another
 * platform document managed on its own.
 *
 *   # Pulumi.yaml: name: my-platform, runtime: nodejs; config in Pulumi.<stack>.yaml:
 *   #   my-platform:platform: { name: ..., regions: [...] }
 *   pulumi up
 */
import * as pulumi from '@pulumi/pulumi';
import { Platform, parsePlatform, Region } from 'practicus-infra';

const config = new pulumi.Config();

/** The platform in this stack's config key `<project>:platform`. */
export const platform = new Platform('acme', { spec: config.requireObject<unknown>('platform') });

/** One region composed directly: validate first, then a `Region` component per region you want. */
const lab = parsePlatform(config.requireObject<unknown>('lab'));
export const labRegions = lab.regions.map((region) => new Region(`lab-${region.name}`, { platform: lab, region }));
/** The namespaces of the directly composed regions. */
export const labNamespaces = labRegions.map((region) => region.namespace);
