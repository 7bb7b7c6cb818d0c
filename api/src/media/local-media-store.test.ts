import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalMediaStore } from './local-media-store';
import { mediaUrl } from './media-store';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sf-media-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('local content-addressed media store', () => {
  it('stores identical bytes once (also when written concurrently) and reads them back', async () => {
    const store = createLocalMediaStore({ dir });
    const bytes = new TextEncoder().encode('same video');
    const results = await Promise.all([store.put(bytes, 'video/mp4'), store.put(bytes, 'video/mp4'), store.put(bytes, 'video/mp4')]);
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(new Set(results.map((r) => r.sha256))).toEqual(new Set([sha]));
    expect((await store.put(bytes, 'video/mp4')).created).toBe(false);
    const files = await readdir(join(dir, sha.slice(0, 2)));
    expect(files).toEqual([sha]); // no temp files left behind, one copy
    expect(Buffer.from((await store.get(sha))!).toString()).toBe('same video');
    expect(await store.has(sha)).toBe(true);
  });

  it('returns null for unknown or malformed hashes (no path traversal)', async () => {
    const store = createLocalMediaStore({ dir });
    expect(await store.get('0'.repeat(64))).toBeNull();
    expect(await store.get('../../etc/passwd')).toBeNull();
    expect(await store.has('../x')).toBe(false);
  });

  it('builds URLs from hash and type', () => {
    expect(mediaUrl('ab'.repeat(32), 'video/mp4')).toBe(`/v1/media/${'ab'.repeat(32)}.mp4`);
  });
});
