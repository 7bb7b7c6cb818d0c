/** A stored blob, addressed by the sha256 of its bytes (lowercase hex). */
export interface StoredMedia {
  sha256: string;
  byteSize: number;
  contentType: string;
  /** Backend key (path under the root, or object key). */
  storageKey: string;
  /** false when identical bytes were already stored (nothing was written). */
  created: boolean;
}

/**
 * Content-addressed media. Identical bytes are stored once; every reference points at the same key.
 * Local disk is the default (local-media-store.ts); S3-compatible storage is an adapter (s3-media-store.ts).
 */
export interface MediaStore {
  put(bytes: Uint8Array, contentType: string): Promise<StoredMedia>;
  get(sha256: string): Promise<Uint8Array | null>;
  has(sha256: string): Promise<boolean>;
}

export const MEDIA_EXTENSIONS: Record<string, string> = { 'video/mp4': 'mp4', 'image/jpeg': 'jpg', 'image/png': 'png' };

/** Public URL of a stored blob; served by the media route (`GET /v1/media/:sha256`). */
export function mediaUrl(sha256: string, contentType: string, basePath = '/v1/media'): string {
  return `${basePath}/${sha256}.${MEDIA_EXTENSIONS[contentType] ?? 'bin'}`;
}

export function isSha256(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}
