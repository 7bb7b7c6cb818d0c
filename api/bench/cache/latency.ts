import type { BenchEnv } from './bench-env';

export interface LatencyOptions {
  env: BenchEnv;
  l2Entries: number;
  faces: number;
  log: (line: string) => void;
}

export async function runLatencyBenches(_options: LatencyOptions): Promise<void> {
  // filled in below
}
