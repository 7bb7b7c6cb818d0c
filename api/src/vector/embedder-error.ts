/**
 * Why an embedder gave no vectors, as data: callers switch on `code`, never on the message.
 * - `unauthorized`: the API key was refused (fix the key; retrying cannot help).
 * - `request_failed`: the API answered an error or could not be reached after the client's retries.
 * - `invalid_response`: the API answered, but not one finite vector of the expected length per input; nothing
 *   is returned, so no L2 entry is ever written with a bad vector.
 */
export type EmbedderErrorCode = 'unauthorized' | 'request_failed' | 'invalid_response';

export class EmbedderError extends Error {
  readonly code: EmbedderErrorCode;
  constructor(code: EmbedderErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbedderError';
    this.code = code;
  }
}
