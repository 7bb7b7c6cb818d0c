import { clampHlc, formatHlc, parseHlc, receiveHlc, tickHlc, type Hlc } from './hlc';

/** Default bound on how far a client clock may run ahead of the server before it is clamped. */
export const DEFAULT_MAX_CLOCK_DRIFT_MS = 60_000;

export interface ServerClockOptions {
  /** Node id that ends every server HLC (sorts after client ids only by chance; that is fine). */
  nodeId: string;
  now: () => number;
  maxDriftMs?: number;
}

/**
 * The server's own HLC. It observes every accepted client clock (so server writes made after a client
 * write sort after it) and issues clocks for server-side writes (generation results, dev login).
 */
export class ServerClock {
  private last: Hlc | undefined;
  readonly maxDriftMs: number;

  constructor(private readonly options: ServerClockOptions) {
    this.maxDriftMs = options.maxDriftMs ?? DEFAULT_MAX_CLOCK_DRIFT_MS;
  }

  /** A fresh clock for a server-originated write. */
  tick(): string {
    this.last = tickHlc(this.last, this.options.now(), this.options.nodeId);
    return formatHlc(this.last);
  }

  /**
   * Accepts a client clock: clamps it to now + maxDrift (policy: clamp, not reject, so an offline
   * device with a fast clock still syncs; its writes just stop winning beyond the bound), then
   * advances the server clock past it. Returns the clock to store. Throws HlcError when malformed.
   */
  receive(clientHlc: string): string {
    const now = this.options.now();
    const clamped = clampHlc(clientHlc, { now, maxDriftMs: this.maxDriftMs });
    const parsed = parseHlc(clamped);
    if (parsed.counter < 999_999) this.last = receiveHlc(this.last, parsed, now, this.options.nodeId);
    return clamped;
  }
}
