/**
 * This repo's own Pulumi program: the platform in the stack config
 * `practicus-infra:platform` (stacks/Pulumi.<stack>.yaml), declared with the
 * public API only. `practicus-infra plan --stack <stack>` runs the same
 * program offline.
 */
import * as pulumi from '@pulumi/pulumi';
import { platformProgram } from '../lib';

const config = new pulumi.Config('practicus-infra');
const platform = platformProgram(config.requireObject<unknown>('platform'));

/** The platform's name. */
export const name = platform.platform.name;
/** The platform's environment (dev, test, staging, prod). */
export const environment = platform.platform.environment;
/** Each region's cloud, location, namespace and host, by region name. */
export const regions = platform.regions;
