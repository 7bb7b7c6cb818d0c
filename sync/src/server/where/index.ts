// The shape `where` compiler: a safe SQL subset → live matcher + snapshot SQL + routing keys.
export { compileWhere, type CompiledWhere, type CompileWhereOptions } from './compile-where';
export { WhereError, type InvalidRequestBody, type WhereErrorCode, type WhereErrorDetails } from './where-error';
export { andSql, type SqlFragment } from './sql-fragment';
export type { WhereEquality } from './where-equalities';
export type { TextRow } from './evaluate-where-node';
