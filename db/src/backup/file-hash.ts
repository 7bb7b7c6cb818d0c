import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';

/** sha256 of a file, streamed (dumps can be large). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
