import { describe, expect, it } from 'vitest';
import { createScopePolicy } from './create-scope-policy';

const ALICE = '0190a5b2-0000-7000-8000-00000000a11c';
const BOB = '0190a5b2-0000-7000-8000-000000000b0b';
const P1 = '0190a5b2-0000-7000-8000-000000000001';
const P2 = '0190a5b2-0000-7000-8000-000000000002';
const insertProject = (id: string, owner: string) => ({
  schema: 'public',
  table: 'projects',
  operation: 'insert' as const,
  newRow: { id, user_id: owner, title: 'x' },
  oldRow: null,
});

describe('createScopePolicy', () => {
  it('allows only the synced tables in the public schema', () => {
    const scope = createScopePolicy();
    expect(scope.allowTable('scenes')).toBe(true);
    expect(scope.allowTable({ schema: 'public', name: 'users' })).toBe(true);
    expect(scope.allowTable('credit_ledger')).toBe(false);
    expect(scope.allowTable('tombstones')).toBe(false);
    expect(scope.allowTable({ schema: 'other', name: 'scenes' })).toBe(false);
    expect(scope.allowTable('__proto__')).toBe(false);
    expect(scope.scopeFor({ userId: ALICE, table: { schema: 'public', name: 'credit_ledger', oid: 1, columns: new Map(), primaryKey: ['id'], replicaIdentity: 'f' } })).toBeNull();
  });

  it('lists an allowlist of columns per table', () => {
    const scope = createScopePolicy();
    expect(scope.columnsFor('users')).toContain('id');
    expect(scope.columnsFor('scenes')).toContain('project_id');
    expect(scope.columnsFor('credit_ledger')).toBeUndefined();
  });

  it('users: only the caller’s own row', () => {
    const s = createScopePolicy().forUser(ALICE, 'users');
    expect(s.matches({ id: ALICE, email: 'a@x' })).toBe(true);
    expect(s.matches({ id: BOB, email: 'b@x' })).toBe(false);
    expect(s.sql).toBe('"id" = $1::text::"uuid"');
    expect(s.sqlParams).toEqual([ALICE]);
    expect(s.equalities).toEqual([{ column: 'id', value: ALICE }]);
  });

  it('projects: owned by the caller; the user id is canonicalised (upper case JWT sub)', () => {
    const s = createScopePolicy().forUser(ALICE.toUpperCase(), 'projects');
    expect(s.matches({ id: P1, user_id: ALICE })).toBe(true);
    expect(s.matches({ id: P2, user_id: BOB })).toBe(false);
    expect(s.sqlParams).toEqual([ALICE]);
    expect(s.sqlAt(3)).toBe('"user_id" = $3::text::"uuid"');
  });

  it('project children follow the project→owner map fed by observed changes', () => {
    const scope = createScopePolicy();
    const alice = scope.forUser(ALICE, 'scenes');
    const bob = scope.forUser(BOB, 'scenes');
    const scene = { id: 'a', project_id: P1 };
    expect(alice.matches(scene)).toBe(false); // unknown project: nobody's
    scope.observe(insertProject(P1, ALICE));
    expect(alice.matches(scene)).toBe(true);
    expect(bob.matches(scene)).toBe(false);
    // Changes to other tables (and other schemas) do not touch the map.
    scope.observe({ schema: 'other', table: 'projects', operation: 'insert', newRow: { id: P2, user_id: BOB }, oldRow: null });
    scope.observe({ schema: 'public', table: 'scenes', operation: 'insert', newRow: { id: P2, user_id: BOB }, oldRow: null });
    expect(scope.owners.ownerOf(P2)).toBeUndefined();
    // The server moving a project to another owner updates the map for later changes.
    scope.observe({ schema: 'public', table: 'projects', operation: 'update', newRow: { id: P1, user_id: BOB }, oldRow: { id: P1, user_id: ALICE } });
    expect(bob.matches(scene)).toBe(true);
    expect(alice.matches(scene)).toBe(false);
    expect(alice.sql).toBe('"project_id" IN (SELECT "id" FROM "public"."projects" WHERE "user_id" = $1::text::"uuid")');
    expect(alice.equalities).toEqual([]);
  });

  it('a deleted project keeps its owner so the cascaded child deletes still reach the owner', () => {
    const scope = createScopePolicy();
    scope.observe(insertProject(P1, ALICE));
    scope.observe({ schema: 'public', table: 'projects', operation: 'delete', newRow: null, oldRow: { id: P1, user_id: ALICE } });
    expect(scope.forUser(ALICE, 'characters').matches({ id: 'c', project_id: P1 })).toBe(true);
    expect(scope.forUser(BOB, 'characters').matches({ id: 'c', project_id: P1 })).toBe(false);
  });

  it('a replayed project delete (after a restart whose load no longer saw the project) restores its owner', () => {
    const scope = createScopePolicy();
    scope.observe({ schema: 'public', table: 'projects', operation: 'delete', newRow: null, oldRow: { id: P2, user_id: BOB } });
    expect(scope.forUser(BOB, 'scenes').matches({ id: 's', project_id: P2 })).toBe(true);
    expect(scope.forUser(ALICE, 'scenes').matches({ id: 's', project_id: P2 })).toBe(false);
  });

  it('brains and format templates: own, public, or built-in (no owner)', () => {
    const scope = createScopePolicy();
    const brains = scope.forUser(ALICE, 'brains');
    expect(brains.matches({ user_id: ALICE, is_public: 'f' })).toBe(true);
    expect(brains.matches({ user_id: BOB, is_public: 't' })).toBe(true);
    expect(brains.matches({ user_id: BOB, is_public: 'f' })).toBe(false);
    const templates = scope.forUser(ALICE, 'format_templates');
    expect(templates.matches({ creator_id: null, is_public: 'f' })).toBe(true);
    expect(templates.matches({ creator_id: BOB, is_public: 'f' })).toBe(false);
    expect(templates.sql).toBe('("creator_id" = $1::text::"uuid" OR "is_public" OR "creator_id" IS NULL)');
  });

  it('a caller id that is not a uuid sees nothing and never reaches a ::uuid cast', () => {
    const s = createScopePolicy().forUser("x' or true --", 'projects');
    expect(s.matches({ id: P1, user_id: ALICE })).toBe(false);
    expect(s.sql).toBe('FALSE');
    expect(s.sqlParams).toEqual([]);
  });

  it('forUser refuses a table outside the synced set', () => {
    expect(() => createScopePolicy().forUser(ALICE, 'credit_ledger')).toThrow(/not synced/);
  });
});
