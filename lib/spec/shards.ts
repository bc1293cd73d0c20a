/**
 * Stable sharding of per-model content (routes, access rules) into objects of
 * bounded size, so a region with thousands of models needs neither one huge
 * object (client-side apply keeps a copy of every object in a 256 KiB
 * annotation; etcd refuses 1.5 MiB) nor one object per model (the number of
 * objects, and of Pulumi resources, would grow with the catalog).
 *
 * A model's bucket is a hash of its key into a fixed number of buckets
 * (`MODEL_BUCKETS`), so it never depends on the other models: adding,
 * removing or changing one model changes only its own bucket's objects. A
 * bucket whose content exceeds the budget is split in two, four, … parts by
 * further bits of the same hash; only that bucket's objects are renamed.
 */
import { stableHash } from './model-hosting';

/** The number of buckets models are hashed into: at most this many objects of each kind per region (until a bucket splits). */
export const MODEL_BUCKETS = 256;

/** Deepest split of one bucket (2^8 parts). */
const MAX_SPLIT_DEPTH = 8;

/** The bucket of a model key (`<prefix>/<model>`): its hash modulo `MODEL_BUCKETS`. */
export function modelBucket(key: string): number {
  return stableHash(key) % MODEL_BUCKETS;
}

/** How much one shard may hold. */
export interface ShardBudget {
  /** Most bytes (as measured by the caller's `sizeOf`). */
  readonly bytes: number;
  /** Most items (e.g. rules of an AuthorizationPolicy, which its CRD caps at 512). @default no limit */
  readonly items?: number;
}

/** One shard: the items of a bucket, or of one part of a split bucket. */
export interface Shard<T> {
  /** Name suffix: `<bucket as 2 hex digits>`, or `<bucket>-<part>` when the bucket is split. */
  readonly id: string;
  /** The items, in the order given. */
  readonly items: readonly T[];
}

/** An item to shard: its key (hashed for the bucket), the number of units it adds (e.g. rules) and its size. */
export interface Shardable<T> {
  readonly key: string;
  readonly item: T;
  readonly units: number;
  readonly bytes: number;
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

function fits<T>(items: readonly Shardable<T>[], budget: ShardBudget): boolean {
  let bytes = 0;
  let units = 0;
  for (const item of items) {
    bytes += item.bytes;
    units += item.units;
  }
  return bytes <= budget.bytes && (budget.items === undefined || units <= budget.items);
}

/**
 * Groups items into shards by the bucket of their key, splitting a bucket
 * (by further hash bits) until every part fits the budget. Empty buckets
 * make no shard. Shards come in bucket order, items in the order given.
 */
export function shardByBucket<T>(items: readonly Shardable<T>[], budget: ShardBudget): Shard<T>[] {
  const buckets = new Map<number, Shardable<T>[]>();
  for (const item of items) {
    const hash = stableHash(item.key);
    const bucket = hash % MODEL_BUCKETS;
    let list = buckets.get(bucket);
    if (!list) buckets.set(bucket, (list = []));
    list.push(item);
  }
  const shards: Shard<T>[] = [];
  for (const bucket of [...buckets.keys()].sort((a, b) => a - b)) {
    const list = buckets.get(bucket)!;
    let depth = 0;
    let parts: Shardable<T>[][] = [list];
    while (depth < MAX_SPLIT_DEPTH && !parts.every((part) => fits(part, budget))) {
      depth += 1;
      parts = Array.from({ length: 2 ** depth }, () => []);
      for (const item of list) {
        // The bits above those that chose the bucket pick the part, so a split never moves an item to another bucket.
        const part = Math.floor(stableHash(item.key) / MODEL_BUCKETS) % 2 ** depth;
        parts[part]!.push(item);
      }
    }
    parts.forEach((part, index) => {
      if (part.length === 0) return;
      shards.push({ id: depth === 0 ? hex2(bucket) : `${hex2(bucket)}-${index}`, items: part.map((p) => p.item) });
    });
  }
  return shards;
}
