import fc from 'fast-check';
import { modelBucket, MODEL_BUCKETS, shardByBucket, type Shardable } from '../../lib/spec/shards';
import { boundedName, stableHash } from '../../lib/spec/model-hosting';

const item = (key: string, bytes = 100, units = 1): Shardable<string> => ({ key, item: key, bytes, units });
const keys = (count: number, prefix = 'p') => Array.from({ length: count }, (_, i) => `${prefix}/model-${i}`);
const placement = (shards: { id: string; items: readonly string[] }[]) => new Map(shards.flatMap((s) => s.items.map((key) => [key, s.id] as const)));

describe('stable sharding', () => {
  it('hashes the same way on every machine (FNV-1a 32-bit)', () => {
    expect(stableHash('')).toBe(0x811c9dc5);
    expect(stableHash('a')).toBe(0xe40c292c);
    expect(stableHash('foobar')).toBe(0xbf9cf968);
    expect(modelBucket('fraud/credit-risk')).toBe(stableHash('fraud/credit-risk') % MODEL_BUCKETS);
  });

  it('places every item in exactly one shard, named after its bucket', () => {
    const shards = shardByBucket(
      keys(1000).map((k) => item(k)),
      { bytes: 1e9 },
    );
    expect(shards.flatMap((s) => s.items).sort()).toEqual(keys(1000).sort());
    for (const shard of shards) for (const key of shard.items) expect(shard.id).toBe(modelBucket(key).toString(16).padStart(2, '0'));
    expect(shards.length).toBeLessThanOrEqual(MODEL_BUCKETS);
  });

  it('never moves other models when models are added or removed (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}\/[a-z0-9-]{1,12}$/), { minLength: 1, maxLength: 200 }), fc.nat(), (all, cut) => {
        const kept = all.slice(0, (cut % all.length) + 1);
        const before = placement(
          shardByBucket(
            kept.map((k) => item(k)),
            { bytes: 1e9 },
          ),
        );
        const after = placement(
          shardByBucket(
            all.map((k) => item(k)),
            { bytes: 1e9 },
          ),
        );
        for (const key of kept) expect(after.get(key)).toBe(before.get(key));
      }),
    );
  });

  it('splits only an overfull bucket, by further hash bits, until every part fits', () => {
    const all = keys(3000);
    const unsplit = placement(
      shardByBucket(
        all.map((k) => item(k, 100)),
        { bytes: 1e9 },
      ),
    );
    // Make one bucket's models heavy: only that bucket splits.
    const heavyBucket = modelBucket(all[0]!);
    const split = shardByBucket(
      all.map((k) => item(k, modelBucket(k) === heavyBucket ? 600 : 100)),
      { bytes: 2000 },
    );
    for (const shard of split) expect(shard.items.reduce((sum, k) => sum + (modelBucket(k) === heavyBucket ? 600 : 100), 0)).toBeLessThanOrEqual(2000);
    const hex = heavyBucket.toString(16).padStart(2, '0');
    for (const [key, id] of placement(split)) {
      if (modelBucket(key) === heavyBucket) expect(id).toMatch(new RegExp(`^${hex}-\\d+$`));
      else expect(id).toBe(unsplit.get(key));
    }
  });

  it('also splits a bucket over its item limit (rules of an AuthorizationPolicy)', () => {
    const shards = shardByBucket(
      keys(4000).map((k) => item(k, 10, 3)),
      { bytes: 1e9, items: 30 },
    );
    for (const shard of shards) expect(shard.items.length * 3).toBeLessThanOrEqual(30);
  });
});

describe('boundedName', () => {
  it('keeps names that fit a DNS label and shortens longer ones with a hash, so they stay distinct', () => {
    expect(boundedName('docs-fraud')).toBe('docs-fraud');
    const a = boundedName(`docs-${'a'.repeat(63)}`);
    const b = boundedName(`docs-${'a'.repeat(62)}b`);
    expect(a).toHaveLength(63);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});
