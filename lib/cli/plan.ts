/**
 * `practicus-infra plan`: runs the platform's Pulumi program (the very
 * `platformProgram` that `pulumi up` runs) in this process on the SDK's mock
 * engine, and lists every resource it registers, with its parent, region and
 * inputs. No Pulumi CLI, no provider plugin, no credential, no network: the
 * cloud lookups the program makes are answered with placeholder values on
 * the reserved `.invalid` domain (see `OFFLINE_CALLS`), so are the reads of
 * existing cluster objects (see `OFFLINE_READS`: a global API's records show
 * where a region's real ingress address will go, `<read>.offline.invalid`
 * for an AWS region, whose load balancers have host names, and a
 * documentation address `203.0.113.x` for Azure and on-prem ones, whose
 * have IP addresses), and secret inputs are shown as `"[secret]"`.
 */
import * as pulumi from '@pulumi/pulumi';
import { ingressReadName } from '../components/global-api';
import { globalApiComponentName } from '../components/platform';
import { platformProgram } from '../components/program';
import { Region, type RegionInputs } from '../components/region';
import type { ResolvedPlatform, ResolvedRegion } from '../spec';

/** One resource the program would create. */
export interface PlannedResource {
  /** The Pulumi type token, e.g. `practicus:index:Region`, `pulumi:providers:kubernetes`. */
  readonly type: string;
  /** The resource's logical name. */
  readonly name: string;
  /** The name of its parent resource; null for top-level resources (children of the stack). */
  readonly parent: string | null;
  /** The spec region it belongs to (its nearest `Region` ancestor); null for platform-wide resources (incl. global APIs). */
  readonly region: string | null;
  /**
   * The inputs as the engine would receive them. Secret values are
   * `"[secret]"`, values not known before deployment `"[unknown]"`,
   * references to other resources `"[resource <name>]"`.
   */
  readonly inputs: Record<string, unknown>;
}

/** Options of `planPlatform`. */
export interface PlanOptions {
  /** The stack name the program sees (`pulumi.getStack()`, URNs). @default 'offline' */
  readonly stack?: string;
}

/** The Pulumi project name the program sees during a plan (that of this repo's Pulumi.yaml). */
export const PLAN_PROJECT = 'practicus-infra';

/** The host every offline placeholder points at: `.invalid` never resolves (RFC 2606). */
export const OFFLINE_ENDPOINT = 'https://offline.invalid';

const OFFLINE_NOTE = 'offline plan placeholder, not a real value';

/** An AKS kubeconfig that reaches nothing and holds no credential. */
const OFFLINE_AKS_KUBECONFIG = [
  `# ${OFFLINE_NOTE}`,
  'apiVersion: v1',
  'kind: Config',
  `clusters: [{ name: offline, cluster: { server: "${OFFLINE_ENDPOINT}" } }]`,
  'users: [{ name: offline, user: {} }]',
  'contexts: [{ name: offline, context: { cluster: offline, user: offline } }]',
  'current-context: offline',
  '',
].join('\n');

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/**
 * Offline answers to the provider functions the program calls, by token.
 * Every value is a clearly fake placeholder; a call without an answer here
 * fails the plan, naming its token.
 */
export const OFFLINE_CALLS: Readonly<Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>>> = {
  'aws:eks/getCluster:getCluster': (inputs) => ({
    id: inputs['name'],
    name: inputs['name'],
    endpoint: OFFLINE_ENDPOINT,
    certificateAuthorities: [{ data: base64(OFFLINE_NOTE) }],
    status: 'OFFLINE',
  }),
  'azure-native:containerservice:listManagedClusterUserCredentials': () => ({
    kubeconfigs: [{ name: 'clusterUser', value: base64(OFFLINE_AKS_KUBECONFIG) }],
  }),
  // The Route 53 hosted zone of a global API.
  'aws:route53/getZone:getZone': (inputs) => ({
    id: OFFLINE_ZONE_ID,
    zoneId: OFFLINE_ZONE_ID,
    name: inputs['name'],
    comment: OFFLINE_NOTE,
    nameServers: [],
  }),
};

/** The hosted zone id the offline plan answers for every Route 53 zone lookup. */
export const OFFLINE_ZONE_ID = 'offline-placeholder-zone-id';

/** What an offline read may know of the platform: the region whose ingress gateway a read is, by read name. */
export interface OfflineReadContext {
  /** The region (and its index in the platform) of each global API's ingress Service read, by the read's name. */
  readonly ingressReads: ReadonlyMap<string, { readonly region: ResolvedRegion; readonly index: number }>;
}

/** The ingress Service reads of a platform's program (`OfflineReadContext.ingressReads`). */
export function offlineReadContext(platform: ResolvedPlatform): OfflineReadContext {
  const ingressReads = new Map<string, { region: ResolvedRegion; index: number }>();
  for (const api of platform.globalApis) {
    for (const name of api.regions) {
      const index = platform.regions.findIndex((region) => region.name === name);
      const region = platform.regions[index];
      if (region !== undefined) ingressReads.set(ingressReadName(globalApiComponentName(platform.name, api.host), name), { region, index });
    }
  }
  return { ingressReads };
}

/**
 * The load-balancer ingress a region's cluster would report, offline: an AWS
 * load balancer has a host name, `<read>.offline.invalid`; an Azure or
 * on-prem one an IP address, `203.0.113.<100 + region index mod 100>` (TEST-NET-3,
 * RFC 5737: for documentation, never routed). So plans show the mix of
 * address kinds a real multi-cloud platform has.
 */
export function offlineLoadBalancerIngress(name: string, context: OfflineReadContext): { hostname: string } | { ip: string } {
  const read = context.ingressReads.get(name);
  if (read === undefined || read.region.cloud === 'aws') return { hostname: `${name}.offline.invalid` };
  return { ip: `203.0.113.${100 + (read.index % 100)}` };
}

/**
 * Offline answers to reads of existing objects (`Resource.get`), by type:
 * the state the program sees instead of the live object. Every value is a
 * clearly fake placeholder; a read without an answer here fails the plan,
 * naming its type.
 */
export const OFFLINE_READS: Readonly<Record<string, (name: string, id: string, context: OfflineReadContext) => Record<string, unknown>>> = {
  // A region's ingress gateway Service, read by a GlobalApi for the region's load-balancer address.
  'kubernetes:core/v1:Service': (name, _id, context) => ({ status: { loadBalancer: { ingress: [offlineLoadBalancerIngress(name, context)] } } }),
};

/** A resource registration as the mock monitor received it. */
interface Registration {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parentUrn: string;
  readonly inputs: Record<string, unknown>;
}

/** The part of the SDK's RegisterResourceRequest / Response (protobuf) that the plan reads. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface RegisterResponse {
  getUrn(): string;
}
type RegisterCallback = (error: unknown, response?: RegisterResponse) => void;
interface RegisteringMonitor {
  registerResource(request: RegisterRequest, callback: RegisterCallback): unknown;
}

/** How long the mock engine may sit idle, with work still pending, before the plan is declared stalled. */
const STALL_TICKS = 5;
const TICK_MS = 1000;

/**
 * One run of the program on the mock engine: what it registered, and the
 * first failure, which ends the run at once.
 *
 * Why failures need care: when a resource's input fails (a provider
 * function without an answer, an `apply` that throws), the SDK only raises
 * an unhandled rejection and leaves every resource that waits on it pending
 * for ever; `pulumi up` stops the program on that rejection. A run
 * therefore fails at once when the mocks meet a call they cannot answer
 * (that call is left pending rather than rejected, so no rejection
 * escapes), on any unhandled rejection the process reports, and, as a last
 * resort, when the engine has sat idle for `STALL_TICKS` seconds with work
 * pending (a mock engine does no I/O, so idle means stuck), naming the
 * resources that never registered.
 */
class MockRun {
  /** Every registration the mock monitor completed, in order. */
  readonly registrations: Registration[] = [];
  /** Rejects with the first failure. */
  readonly failed: Promise<never>;
  private readonly constructed: string[] = [];
  private reject: (error: Error) => void = () => undefined;
  private failure: Error | undefined;
  /** Counts mock engine events (calls, registrations), to tell when it is idle. */
  private activity = 0;

  /** @param context What the offline reads know of the platform. */
  constructor(private readonly context: OfflineReadContext) {
    this.failed = new Promise<never>((_, reject) => (this.reject = reject));
    this.failed.catch(() => undefined); // observed by the race in planOnce; never an unhandled rejection itself
  }

  /** Ends the run with an error (the first one wins). */
  fail(message: string): void {
    this.failure ??= new Error(`plan failed: ${message}`);
    this.reject(this.failure);
  }

  /** Throws the first failure, if any. */
  throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /** The mocks: offline answers to provider functions, resources echo their inputs. */
  mocks(): pulumi.runtime.Mocks {
    return {
      call: ({ token, inputs }) => {
        this.activity++;
        const answer = OFFLINE_CALLS[token];
        if (answer !== undefined) return answer(inputs as Record<string, unknown>);
        this.fail(`the program calls the provider function ${token}, which plan has no offline answer for (see OFFLINE_CALLS)`);
        return new Promise<never>(() => undefined); // left pending: see the class comment
      },
      newResource: ({ type, name, inputs, custom, id }) => {
        this.activity++;
        // A read (`Resource.get`) carries the id of the object to read; a registration carries none ('').
        if (id !== undefined && id !== '') {
          const read = OFFLINE_READS[type];
          if (read !== undefined) return { id, state: read(name, id, this.context) };
          this.fail(`the program reads the existing ${type} ${id}, which plan has no offline answer for (see OFFLINE_READS)`);
          return new Promise<never>(() => undefined); // left pending: see the class comment
        }
        return { id: custom ? `${name}-offline-id` : undefined, state: inputs as Record<string, unknown> };
      },
    };
  }

  /**
   * Records every resource registration. The mocks' `newResource` is not
   * told the parent, so the run wraps the mock monitor's `registerResource`
   * (the RPC every resource goes through, custom or component, local or
   * remote): its request carries the type, name, parent URN and serialized
   * inputs, exactly what a real engine receives, and its response the URN.
   * Parents are then found by URN among the registrations, not by parsing
   * names.
   */
  recordRegistrations(): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as Partial<RegisteringMonitor> | undefined;
    if (monitor === undefined || typeof monitor.registerResource !== 'function') {
      throw new Error('plan: the Pulumi mock monitor is not installed (pulumi.runtime.setMocks did not take effect)');
    }
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) =>
      register(request, (error, response) => {
        this.activity++;
        if (error !== null && error !== undefined) {
          this.fail(`the mock engine refused ${request.getType()} ${request.getName()}: ${String(error)}`);
        } else if (response !== undefined) {
          this.registrations.push({
            urn: response.getUrn(),
            type: request.getType(),
            name: request.getName(),
            parentUrn: request.getParent(),
            inputs: request.getObject()?.toJavaScript() ?? {},
          });
        }
        callback(error, response);
      });
  }

  /** Notes each resource the program constructs (a stack transformation), to name those that never register. */
  noteConstructed(): void {
    pulumi.runtime.registerStackTransformation(({ type, name }) => {
      this.constructed.push(`${type} ${name}`);
      return undefined;
    });
  }

  /** Starts watching for unhandled rejections and stalls; returns the function that stops watching. */
  watch(): () => void {
    const onRejection = (reason: unknown): void =>
      this.fail(`the program failed on the mock engine: ${reason instanceof Error ? reason.message : String(reason)}`);
    process.on('unhandledRejection', onRejection);
    let idleTicks = 0;
    let seen = this.activity;
    const timer = setInterval(() => {
      idleTicks = this.activity === seen ? idleTicks + 1 : 0;
      seen = this.activity;
      if (idleTicks >= STALL_TICKS) this.fail(`the program stalled on the mock engine; never registered: ${this.pending().join(', ') || 'unknown'}`);
    }, TICK_MS);
    return () => {
      clearInterval(timer);
      process.off('unhandledRejection', onRejection);
    };
  }

  /**
   * Lets the work still in flight on this run's mock monitor finish (the
   * SDK's work is promise-driven, so it is done once a macrotask turn
   * passes with no engine event), so that a next run's `setMocks` does not
   * pull the monitor from under it. Resources stuck behind a failure stay
   * pending for ever; they hold no timer or handle.
   */
  async settle(): Promise<void> {
    for (let turn = 0; turn < 100; turn++) {
      const before = this.activity;
      await new Promise((resolve) => setImmediate(resolve));
      if (this.activity === before) return;
    }
  }

  private pending(): string[] {
    const registered = new Set(this.registrations.map((r) => `${r.type} ${r.name}`));
    return this.constructed.filter((resource) => !registered.has(resource));
  }
}

const { specialSigKey, specialSecretSig, specialResourceSig, specialAssetSig, specialArchiveSig, specialOutputValueSig, unknownValue } = pulumi.runtime;

/** A serialized input value as the plan shows it: secrets, unknowns and references replaced by markers. */
function present(value: unknown): unknown {
  if (value === unknownValue) return '[unknown]';
  if (Array.isArray(value)) return value.map(present);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  switch (object[specialSigKey]) {
    case undefined:
      return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, present(item)]));
    case specialSecretSig:
      return '[secret]';
    case specialOutputValueSig:
      return object['secret'] === true ? '[secret]' : 'value' in object ? present(object['value']) : '[unknown]';
    case specialResourceSig:
      return `[resource ${String(object['urn']).split('::').slice(3).join('::')}]`;
    case specialAssetSig:
      return '[asset]';
    case specialArchiveSig:
      return '[archive]';
    default:
      return '[unrecognized value]';
  }
}

/** Turns the recorded registrations into planned resources: the stack itself left out, sorted. */
function toPlannedResources(registrations: readonly Registration[]): PlannedResource[] {
  const byUrn = new Map(registrations.map((registration) => [registration.urn, registration]));
  const isStack = (registration: Registration | undefined): boolean => registration?.type === 'pulumi:pulumi:Stack';
  const regionOf = (registration: Registration): string | null => {
    for (let current: Registration | undefined = registration; current !== undefined; current = byUrn.get(current.parentUrn)) {
      if (current.type === Region.TYPE) return String((current.inputs as Partial<RegionInputs>).region);
    }
    return null;
  };
  const planned = registrations
    .filter((registration) => !isStack(registration))
    .map((registration): PlannedResource => {
      const parent = byUrn.get(registration.parentUrn);
      return {
        type: registration.type,
        name: registration.name,
        parent: parent === undefined || isStack(parent) ? null : parent.name,
        region: regionOf(registration),
        inputs: present(registration.inputs) as Record<string, unknown>,
      };
    });
  return sortPlan(planned);
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The type token of the global API component (its DNS resources are listed with it). */
const GLOBAL_API_TYPE = 'practicus:index:GlobalApi';

/** A part of the plan: the platform, one global API (the component and its DNS resources), or one region. */
interface PlanSection {
  readonly order: number;
  readonly title: string;
}

/** The section a resource belongs to: its region; else its global API; else the platform. */
function planSection(resource: PlannedResource, globalApis: ReadonlyMap<string, string>): PlanSection {
  if (resource.region !== null) return { order: 2, title: resource.region };
  const api = resource.type === GLOBAL_API_TYPE ? globalApis.get(resource.name) : resource.parent !== null ? globalApis.get(resource.parent) : undefined;
  if (api !== undefined) return { order: 1, title: `global API ${api}` };
  return { order: 0, title: '(platform)' };
}

/** Each resource's section, given the whole plan (global API components are found by name). */
function planSections(resources: readonly PlannedResource[]): Map<PlannedResource, PlanSection> {
  const globalApis = new Map(resources.filter((r) => r.type === GLOBAL_API_TYPE).map((r) => [r.name, String(r.inputs['host'] ?? r.name)]));
  return new Map(resources.map((resource) => [resource, planSection(resource, globalApis)]));
}

/**
 * Plan order: platform-wide resources first, then each global API (by
 * host) with its DNS resources, then each region; within a section by
 * type and name.
 */
function sortPlan(resources: readonly PlannedResource[]): PlannedResource[] {
  const sections = planSections(resources);
  return [...resources].sort((a, b) => {
    const sa = sections.get(a)!;
    const sb = sections.get(b)!;
    return sa.order - sb.order || compareText(sa.title, sb.title) || compareText(a.type, b.type) || compareText(a.name, b.name);
  });
}

/** Plans run one at a time: the mock engine is process-global state. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs the platform's Pulumi program on the SDK's mock engine and returns
 * every resource it would create, sorted (platform-wide first, then each
 * global API with its DNS resources, then each region; by type and name
 * within each).
 *
 * How it knows the program is done: the program runs inside
 * `pulumi.runtime.runInPulumiStack`, as under `pulumi up`, which resolves
 * once the program has returned and the stack's outputs are registered.
 * Resources are registered asynchronously, though: each registration (and
 * each invoke) takes an `rpcKeepAlive` token when its constructor runs and
 * gives it back once its RPC has completed and its outputs are resolved.
 * `pulumi.runtime.disconnect()` then waits until that chain of tokens has
 * drained, looking again whenever new work was added meanwhile; the
 * Automation API does the same (`runInPulumiStack`, then `disconnect`).
 * A failure ends the plan at once with a clear error (see `MockRun`); an
 * error the program throws itself is rethrown as it is.
 *
 * The mock engine is process-global: `setMocks` replaces the runtime's
 * settings. Calls in one process are therefore queued and run one after
 * the other, each on fresh mocks, so calling it repeatedly (or
 * concurrently) works. Do not call it in a process that is running a real
 * Pulumi program, or while other code in the process uses `setMocks`.
 *
 * @param platform A platform `parsePlatform` returned.
 * @param options The stack name the program sees (default `'offline'`).
 */
export function planPlatform(platform: ResolvedPlatform, options: PlanOptions = {}): Promise<PlannedResource[]> {
  const run = queue.then(() => planOnce(platform, options.stack ?? 'offline'));
  queue = run.catch(() => undefined);
  return run;
}

async function planOnce(platform: ResolvedPlatform, stack: string): Promise<PlannedResource[]> {
  const run = new MockRun(offlineReadContext(platform));
  await pulumi.runtime.setMocks(run.mocks(), PLAN_PROJECT, stack, true /* a preview: nothing is deployed */);
  run.recordRegistrations();
  const stopWatching = run.watch();
  try {
    const program = async (): Promise<void> => {
      await pulumi.runtime.runInPulumiStack(async () => {
        run.noteConstructed();
        platformProgram(platform);
        return {};
      });
      await pulumi.runtime.disconnect();
    };
    await Promise.race([program(), run.failed]);
  } finally {
    await run.settle(); // also lets a late unhandled rejection arrive before we look
    stopWatching();
  }
  run.throwIfFailed();
  return toPlannedResources(run.registrations);
}

/** A short note on a resource for the tree: what a ConfigGroup holds, where a provider points. */
function detail(resource: PlannedResource): string {
  const objs = resource.inputs['objs'];
  if (Array.isArray(objs)) return `${objs.length} Kubernetes object${objs.length === 1 ? '' : 's'}`;
  if (resource.type === 'pulumi:providers:kubernetes') {
    const context = resource.inputs['context'];
    if (typeof context === 'string') return `context ${context}`;
    const kubeconfig = resource.inputs['kubeconfig'];
    if (kubeconfig === '[secret]') return 'kubeconfig [secret]';
    if (typeof kubeconfig === 'string' && kubeconfig.includes('get-token')) return 'kubeconfig: aws eks get-token';
  }
  if (resource.type === 'pulumi:providers:aws' && typeof resource.inputs['region'] === 'string') return `region ${resource.inputs['region']}`;
  return nodePoolDetail(resource.type, resource.inputs) || globalApiDetail(resource.type, resource.inputs);
}

/** The node group inputs the plan summarizes. */
interface NodeGroupSummary {
  readonly instanceTypes?: readonly string[];
  readonly capacityType?: string;
  readonly amiType?: string;
  readonly scalingConfig?: { readonly minSize?: number; readonly maxSize?: number };
  readonly taints?: readonly { readonly key: string; readonly effect: string }[];
}

/** The agent pool inputs the plan summarizes. */
interface AgentPoolSummary {
  readonly vmSize?: string;
  readonly scaleSetPriority?: string;
  readonly minCount?: number;
  readonly maxCount?: number;
  readonly nodeTaints?: readonly string[];
}

/** A short note on a worker pool's cloud node pool: machines, capacity, AMI, node range and taints. */
function nodePoolDetail(type: string, inputs: Record<string, unknown>): string {
  const join = (parts: readonly unknown[], label: string, taints: readonly string[]) =>
    [...parts, ...(taints.length > 0 ? [`${label} ${taints.join(', ')}`] : [])].join(', ');
  if (type === 'aws:eks/nodeGroup:NodeGroup') {
    const group = inputs as NodeGroupSummary;
    const taints = (group.taints ?? []).map((t) => `${t.key}:${t.effect}`);
    const nodes = `${group.scalingConfig?.minSize}-${group.scalingConfig?.maxSize} nodes`;
    return join([(group.instanceTypes ?? []).join(','), group.capacityType, group.amiType, nodes], 'taint', taints);
  }
  if (type === 'azure-native:containerservice:AgentPool') {
    const pool = inputs as AgentPoolSummary;
    return join([pool.vmSize, pool.scaleSetPriority, `${pool.minCount}-${pool.maxCount} nodes`], 'taints', pool.nodeTaints ?? []);
  }
  return '';
}

/** A short note on a global API's DNS resource: what it probes, answers or points to. */
function globalApiDetail(type: string, inputs: Record<string, unknown>): string {
  const text = (value: unknown): string => {
    if (Array.isArray(value)) return value.map(text).join(' ');
    if (value !== null && typeof value === 'object')
      return Object.entries(value)
        .map(([key, item]) => `${key} ${text(item)}`)
        .join(' ');
    return String(value);
  };
  const policy = (): string => {
    const [key, value] = Object.entries(inputs).find(([name]) => name.endsWith('RoutingPolicies')) ?? [];
    return key === undefined ? '' : `, ${key.replace('RoutingPolicies', '')} ${text((value as unknown[] | undefined)?.[0])}`;
  };
  switch (type) {
    case 'aws:route53/healthCheck:HealthCheck':
      return `${text(inputs['type'])} ${text(inputs['fqdn'])}${text(inputs['resourcePath'])} every ${text(inputs['requestInterval'])}s`;
    case 'aws:route53/record:Record':
      return `${text(inputs['type'])} ${text(inputs['name'])} → ${text(inputs['records'])}${policy()}`;
    case 'azure-native:trafficmanager:Profile':
      return `${text(inputs['trafficRoutingMethod'])}, ${text((inputs['dnsConfig'] as { relativeName?: unknown } | undefined)?.relativeName)}.trafficmanager.net`;
    case 'azure-native:trafficmanager:Endpoint': {
      const routing = ['priority', 'weight', 'endpointLocation', 'geoMapping']
        .filter((key) => inputs[key] !== undefined)
        .map((key) => `${key} ${text(inputs[key])}`);
      return [text(inputs['target']), ...routing].join(', ');
    }
    case 'azure-native:dns:RecordSet': {
      const record = inputs as { cnameRecord?: { cname?: unknown }; aRecords?: { ipv4Address?: unknown }[]; aaaaRecords?: { ipv6Address?: unknown }[] };
      const value = record.cnameRecord?.cname ?? record.aRecords?.[0]?.ipv4Address ?? record.aaaaRecords?.[0]?.ipv6Address;
      return `${text(inputs['recordType'])} ${text(inputs['relativeRecordSetName'])}.${text(inputs['zoneName'])} → ${text(value)}`;
    }
    default:
      return '';
  }
}

/**
 * The plan as a readable tree: resources grouped by section (platform-wide
 * ones first, under `(platform)`; then each global API with its DNS
 * resources; then each region), then by type, one line per resource.
 */
export function formatPlanTree(resources: readonly PlannedResource[]): string {
  const sections = planSections(resources);
  const sorted = sortPlan(resources);
  const typeWidth = Math.max(0, ...sorted.map((resource) => resource.type.length));
  const lines: string[] = [`${sorted.length} resource${sorted.length === 1 ? '' : 's'} (offline plan on the Pulumi mock engine: nothing deployed)`];
  let group: string | undefined;
  for (const resource of sorted) {
    const title = sections.get(resource)!.title;
    if (title !== group) {
      group = title;
      lines.push(title);
    }
    const note = detail(resource);
    lines.push(`  ${resource.type.padEnd(typeWidth)}  ${resource.name}${note === '' ? '' : `  (${note})`}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The plan as JSON: `{"resources": [{"type", "name", "parent", "region", "inputs"}]}`, sorted, pretty-printed. */
export function formatPlanJson(resources: readonly PlannedResource[]): string {
  const sorted = sortPlan(resources);
  const out = sorted.map(({ type, name, parent, region, inputs }) => ({ type, name, parent, region, inputs }));
  return `${JSON.stringify({ resources: out }, null, 2)}\n`;
}
