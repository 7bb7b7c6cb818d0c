// `npm run bench` in api/: every api benchmark in turn, each on its own throwaway stack.
import { runMutationsBench } from './mutations/mutations-bench';

async function main(): Promise<void> {
  await runMutationsBench();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
