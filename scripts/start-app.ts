import { startDevStack } from '@storyforge/db/stack';

export interface RunAppOptions {
  root: string;
  log: (line: string) => void;
}

/** `npm start`: stack up, migrate, demo data, serve; Ctrl-C stops what we started. */
export async function runApp({ root, log }: RunAppOptions): Promise<number> {
  const stack = await startDevStack({ root, log });
  log(`database ${stack.databaseUrl}`);
  log(`redis ${stack.redisUrl}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log('stopping');
  await stack.stop();
  return 0;
}
