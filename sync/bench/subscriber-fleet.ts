// Child process for the latency benchmark: N stock ShapeStream subscribers (outside the server's process,
// as real clients are). Messages from the parent: {url, count, firstSub, sse, table, where} → replies 'ready'
// once every stream is up to date; 'collect' → replies with [id, receivedAtEpochMs] per delivered change.
import { performance } from 'node:perf_hooks';
import { ShapeStream, isChangeMessage, type Row } from '@electric-sql/client';

interface Start { kind: 'start'; url: string; count: number; firstSub: number; sse: boolean; table: string; where: string }
type Msg = Start | { kind: 'collect' };

const streams: ShapeStream<Row>[] = [];
const deliveries: Array<[number, number]> = [];
const send = (m: unknown) => process.send?.(m);

process.on('message', async (m: Msg) => {
  if (m.kind === 'collect') {
    for (const s of streams) s.unsubscribeAll();
    send({ kind: 'deliveries', deliveries });
    return;
  }
  for (let i = 0; i < m.count; i++) {
    // `sub` (ignored by the server: same server shape) keeps each stream's client-side shape key distinct:
    // the client dedupes/replays up-to-date state per shape key process-wide, which many streams of one
    // shape in one process (unlike real clients, one per browser) would otherwise trip over.
    const stream = new ShapeStream<Row>({ url: m.url, params: { table: m.table, where: m.where, sub: String(m.firstSub + i) }, liveSse: m.sse });
    stream.subscribe((msgs) => {
      const at = performance.timeOrigin + performance.now();
      for (const msg of msgs) if (isChangeMessage(msg)) deliveries.push([Number(msg.value.id), at]);
    });
    streams.push(stream);
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 10));
  }
  const started = Date.now();
  while (!streams.every((s) => s.isUpToDate) && Date.now() - started < 120_000) await new Promise((r) => setTimeout(r, 50));
  send({ kind: 'ready', upToDate: streams.filter((s) => s.isUpToDate).length });
});
