/**
 * The shape of what the cdk8s layer hands on: plain Kubernetes objects,
 * grouped by the Pulumi component that deploys them (one ConfigGroup each).
 */

/** A Kubernetes object as written to YAML and handed to a ConfigGroup. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

/** Which public component deploys a group of objects. */
export type ComponentKind = 'Region' | 'ModelHostDeployment' | 'ModelCatalog' | 'WorkerPool' | 'AppHost' | 'AddOn' | 'GlobalApi';

/** The objects one component of one region deploys. */
export interface ManifestGroup {
  /** The Pulumi component that deploys these objects. */
  readonly component: ComponentKind;
  /** The component's name within its region (the region name for `Region`). */
  readonly name: string;
  /** The objects, in apply order (namespace first, then by kind and name). */
  readonly objects: readonly KubeObject[];
}
