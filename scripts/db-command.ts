export interface DbCommandOptions {
  root: string;
  log: (line: string) => void;
  argv: string[];
}

export async function runDbCommand({ argv }: DbCommandOptions): Promise<number> {
  console.error(`db ${argv.join(' ')}: not implemented yet`);
  return 2;
}
