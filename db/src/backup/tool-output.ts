/** The last line of a pg_dump/pg_restore stderr without the tool's prefix: the cause worth showing. */
export function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.replace(/^pg_(dump|restore): (error: )?/, '') ?? '';
}
