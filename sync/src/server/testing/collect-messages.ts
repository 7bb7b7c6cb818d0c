import { ShapeStream, isChangeMessage, type ChangeMessage, type Message, type Row, type ShapeStreamOptions } from '@electric-sql/client';

export interface Collector {
  stream: ShapeStream<Row>;
  changes: ChangeMessage<Row>[];
  all: Message<Row>[];
  upToDateCount(): number;
  close(): void;
}

/** Subscribes a raw ShapeStream and records every message (to assert exactly-once delivery). */
export function collectMessages(options: ShapeStreamOptions): Collector {
  const stream = new ShapeStream<Row>(options);
  const all: Message<Row>[] = [];
  const changes: ChangeMessage<Row>[] = [];
  let upToDate = 0;
  stream.subscribe((batch) => {
    for (const m of batch) {
      all.push(m);
      if (isChangeMessage(m)) changes.push(m);
      else if (m.headers.control === 'up-to-date') upToDate++;
    }
  });
  return { stream, changes, all, upToDateCount: () => upToDate, close: () => stream.unsubscribeAll() };
}
