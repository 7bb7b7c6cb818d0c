import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cosineSimilarity } from '../similarity';
import { FilterError, matchesFilter, type Metadata } from './metadata-filter';

interface StoredVector {
  values: number[];
  metadata: Metadata | undefined;
}

export interface PineconeFake {
  /** `http://127.0.0.1:PORT` — pass as the index host: `pc.index({ host })`. */
  host: string;
  /** Requests served per path, so tests can assert batching. */
  requests: Map<string, number>;
  close(): Promise<void>;
}

export interface PineconeFakeOptions {
  dimension: number;
  apiKey?: string;
}

/**
 * A loopback stand-in for a Pinecone serverless index's data plane (cosine metric), speaking the same
 * REST shapes the official 8.x client sends and parses (read from its generated VectorOperationsApi):
 * POST /vectors/upsert, POST /query, GET /vectors/fetch?ids=…&namespace=…, POST /vectors/update (by id:
 * `setMetadata` merged into the record's metadata, optional new `values`), POST /vectors/delete,
 * POST /describe_index_stats. Test-only; the real client library is what the adapter exercises.
 */
export async function startPineconeFake(options: PineconeFakeOptions): Promise<PineconeFake> {
  const namespaces = new Map<string, Map<string, StoredVector>>();
  const requests = new Map<string, number>();
  const ns = (name: string | undefined): Map<string, StoredVector> => {
    const key = name ?? '';
    let m = namespaces.get(key);
    if (m === undefined) namespaces.set(key, (m = new Map()));
    return m;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.set(url.pathname, (requests.get(url.pathname) ?? 0) + 1);
    if (options.apiKey !== undefined && req.headers['api-key'] !== options.apiKey) {
      return send(res, 401, { code: 16, message: 'Invalid API Key' });
    }
    const body = req.method === 'POST' ? await readJson(req) : {};
    switch (`${req.method} ${url.pathname}`) {
      case 'POST /vectors/upsert': {
        const vectors = body.vectors as Array<{ id: string; values: number[]; metadata?: Metadata }>;
        for (const v of vectors) {
          if (v.values.length !== options.dimension) {
            return send(res, 400, { code: 3, message: `Vector dimension ${v.values.length} does not match the dimension of the index ${options.dimension}` });
          }
        }
        const target = ns(body.namespace as string | undefined);
        for (const v of vectors) target.set(v.id, { values: v.values, metadata: v.metadata });
        return send(res, 200, { upsertedCount: vectors.length });
      }
      case 'POST /query': {
        const target = ns(body.namespace as string | undefined);
        let vector = body.vector as number[] | undefined;
        if (vector === undefined && typeof body.id === 'string') vector = target.get(body.id)?.values;
        if (vector === undefined) return send(res, 400, { code: 3, message: 'No query provided' });
        const topK = body.topK as number;
        const matches = [...target.entries()]
          .filter(([, v]) => matchesFilter(v.metadata ?? {}, body.filter))
          .map(([id, v]) => ({ id, score: cosineSimilarity(vector, v.values), v }))
          .sort((a, b) => b.score - a.score)
          .slice(0, topK)
          .map(({ id, score, v }) => ({
            id,
            score,
            values: body.includeValues === true ? v.values : [],
            ...(body.includeMetadata === true && v.metadata !== undefined ? { metadata: v.metadata } : {}),
          }));
        return send(res, 200, { results: [], matches, namespace: body.namespace ?? '', usage: { readUnits: 5 } });
      }
      case 'GET /vectors/fetch': {
        const target = ns(url.searchParams.get('namespace') ?? undefined);
        const vectors: Record<string, unknown> = {};
        for (const id of url.searchParams.getAll('ids')) {
          const v = target.get(id);
          if (v !== undefined) vectors[id] = { id, values: v.values, ...(v.metadata ? { metadata: v.metadata } : {}) };
        }
        return send(res, 200, { vectors, namespace: url.searchParams.get('namespace') ?? '', usage: { readUnits: 1 } });
      }
      case 'POST /vectors/update': {
        if (typeof body.id !== 'string') return send(res, 400, { code: 3, message: 'update needs an id (this fake does not update by filter)' });
        const values = body.values as number[] | undefined;
        if (values !== undefined && values.length !== options.dimension) {
          return send(res, 400, { code: 3, message: `Vector dimension ${values.length} does not match the dimension of the index ${options.dimension}` });
        }
        const v = ns(body.namespace as string | undefined).get(body.id);
        if (v !== undefined) {
          if (values !== undefined) v.values = values;
          if (body.setMetadata !== undefined) v.metadata = { ...(v.metadata ?? {}), ...(body.setMetadata as Metadata) };
        }
        return send(res, 200, {});
      }
      case 'POST /vectors/delete': {
        const target = ns(body.namespace as string | undefined);
        if (body.deleteAll === true) target.clear();
        else if (Array.isArray(body.ids)) for (const id of body.ids as string[]) target.delete(id);
        else if (body.filter !== undefined) {
          for (const [id, v] of target) if (matchesFilter(v.metadata ?? {}, body.filter)) target.delete(id);
        }
        return send(res, 200, {});
      }
      case 'POST /describe_index_stats': {
        const summary: Record<string, { vectorCount: number }> = {};
        let total = 0;
        for (const [name, m] of namespaces) {
          const n = [...m.values()].filter((v) => matchesFilter(v.metadata ?? {}, body.filter)).length;
          if (m.size > 0) summary[name] = { vectorCount: n };
          total += n;
        }
        return send(res, 200, { namespaces: summary, dimension: options.dimension, indexFullness: 0, totalVectorCount: total, metric: 'cosine', vectorType: 'dense' });
      }
      default:
        return send(res, 404, { code: 5, message: `Not found: ${req.method} ${url.pathname}` });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      send(res, err instanceof FilterError ? 400 : 500, { code: 3, message: err instanceof Error ? err.message : String(err) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
