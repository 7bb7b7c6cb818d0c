import { Shape, ShapeStream, type Row, type ShapeStreamInterface, type ShapeStreamOptions } from '@electric-sql/client';

export interface OpenShape {
  stream: ShapeStream<Row>;
  shape: Shape<Row>;
  close(): void;
}

/** A stock ShapeStream + Shape (the real client) on our server. */
export function openShape(options: ShapeStreamOptions): OpenShape {
  const stream = new ShapeStream<Row>(options);
  // The client's ShapeStream class does not satisfy its own interface under exactOptionalPropertyTypes
  // (shapeHandle?: string vs string | undefined): a typing quirk only, the objects are the same.
  const shape = new Shape<Row>(stream as unknown as ShapeStreamInterface<Row>);
  return { stream, shape, close: () => stream.unsubscribeAll() };
}
