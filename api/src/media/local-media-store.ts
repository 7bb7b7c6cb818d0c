import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isSha256, type MediaStore } from './media-store';

export interface LocalMediaStoreOptions {
  /** Root directory; files live at `<root>/<aa>/<sha256>`. */
  dir: string;
  /** fsync each new file before the rename (default true). Only a benchmark replaying a trace turns it off. */
  fsync?: boolean;
}

/**
 * Disk-backed content-addressed store. A write goes to a unique temp file, is fsynced, then renamed
 * onto its final name: rename is atomic, so a crash never leaves a half-written blob under a real hash,
 * and two concurrent writers of the same bytes both end with the same complete file.
 */
export function createLocalMediaStore(options: LocalMediaStoreOptions): MediaStore {
  const pathOf = (sha256: string): string => join(options.dir, sha256.slice(0, 2), sha256);
  const exists = async (path: string): Promise<boolean> => {
    try {
      await stat(path);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  };
  return {
    async put(bytes, contentType) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const path = pathOf(sha256);
      const storageKey = `${sha256.slice(0, 2)}/${sha256}`;
      if (await exists(path)) return { sha256, byteSize: bytes.byteLength, contentType, storageKey, created: false };
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      const handle = await open(tmp, 'wx');
      try {
        await handle.writeFile(bytes);
        if (options.fsync !== false) await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await rename(tmp, path);
      } catch (e) {
        await unlink(tmp).catch(() => undefined);
        throw e;
      }
      return { sha256, byteSize: bytes.byteLength, contentType, storageKey, created: true };
    },
    async get(sha256) {
      if (!isSha256(sha256)) return null;
      try {
        return new Uint8Array(await readFile(pathOf(sha256)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async has(sha256) {
      return isSha256(sha256) && exists(pathOf(sha256));
    },
  };
}
