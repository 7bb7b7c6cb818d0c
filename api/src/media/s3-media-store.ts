import { createHash } from 'node:crypto';
import type { MediaStore } from './media-store';

/**
 * The few S3 calls the store needs, so any S3-compatible SDK (AWS SDK v3, MinIO, R2) can be wrapped in a
 * dozen lines without this package depending on one. Configured in production; not exercised in tests
 * (no network, and a hand-written fake would only test itself).
 */
export interface S3Like {
  headObject(input: { bucket: string; key: string }): Promise<boolean>;
  putObject(input: { bucket: string; key: string; body: Uint8Array; contentType: string; sha256Base64: string }): Promise<void>;
  getObject(input: { bucket: string; key: string }): Promise<Uint8Array | null>;
}

export interface S3MediaStoreOptions {
  client: S3Like;
  bucket: string;
  prefix?: string;
}

export function createS3MediaStore(options: S3MediaStoreOptions): MediaStore {
  const prefix = options.prefix ?? 'media/';
  const keyOf = (sha256: string): string => `${prefix}${sha256.slice(0, 2)}/${sha256}`;
  return {
    async put(bytes, contentType) {
      const digest = createHash('sha256').update(bytes).digest();
      const sha256 = digest.toString('hex');
      const key = keyOf(sha256);
      const created = !(await options.client.headObject({ bucket: options.bucket, key }));
      // The checksum makes S3 reject a corrupted upload instead of storing it under the wrong hash.
      if (created) await options.client.putObject({ bucket: options.bucket, key, body: bytes, contentType, sha256Base64: digest.toString('base64') });
      return { sha256, byteSize: bytes.byteLength, contentType, storageKey: key, created };
    },
    get: (sha256) => options.client.getObject({ bucket: options.bucket, key: keyOf(sha256) }),
    has: (sha256) => options.client.headObject({ bucket: options.bucket, key: keyOf(sha256) }),
  };
}
