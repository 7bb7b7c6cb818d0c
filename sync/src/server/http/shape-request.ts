import {
  EXPERIMENTAL_LIVE_SSE_PARAM, HANDLE_PARAM, LIVE_PARAM, LIVE_SSE_PARAM, LOG_CHANGES_ONLY, LOG_PARAM,
  OFFSET_NOW, OFFSET_PARAM, CURSOR_PARAM,
} from '../../protocol/constants';
import { parseOffset, type LogOffset } from '../../protocol/offset';
import { parseShapeDefinition, type ShapeDefinition } from '../shapes/shape-definition';
import { invalidParam } from '../sync-error';

export interface ShapeRequest {
  def: ShapeDefinition;
  offsetText: string;
  offset: LogOffset | 'now';
  handle: string | null;
  live: boolean;
  sse: boolean;
  changesOnly: boolean;
  cursor: string | null;
}

/** Validates the query string of GET /v1/shape (400 with a per-parameter message on anything wrong). */
export function parseShapeRequest(query: URLSearchParams, userId: string | null): ShapeRequest {
  const def = parseShapeDefinition(query, userId);
  const offsetText = query.get(OFFSET_PARAM);
  if (offsetText === null || offsetText === '') throw invalidParam(OFFSET_PARAM, 'offset is required');
  const offset = offsetText === OFFSET_NOW ? 'now' : parseOffset(offsetText);
  if (offset === null) throw invalidParam(OFFSET_PARAM, `Invalid offset ${JSON.stringify(offsetText)}`);
  const handle = query.get(HANDLE_PARAM);
  const needsHandle = offset !== 'now' && offset.kind !== 'before-all';
  if (needsHandle && (handle === null || handle === '')) throw invalidParam(HANDLE_PARAM, 'handle is required when offset is not -1 or now');
  const live = query.get(LIVE_PARAM) === 'true';
  const sse = live && (query.get(LIVE_SSE_PARAM) === 'true' || query.get(EXPERIMENTAL_LIVE_SSE_PARAM) === 'true');
  return {
    def,
    offsetText,
    offset,
    handle: needsHandle ? handle : null,
    live,
    sse,
    changesOnly: query.get(LOG_PARAM) === LOG_CHANGES_ONLY,
    cursor: query.get(CURSOR_PARAM),
  };
}
