// A logged-in user with one project and one scene, written through the mutation API (what a client does
// before its first generation).
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { hlcAt, m, statuses, type Harness } from './api-harness';

export interface UserWithScene {
  token: string;
  userId: string;
  projectId: string;
  sceneId: string;
}

export async function createUserWithScene(h: Harness): Promise<UserWithScene> {
  const { token, userId } = await h.login();
  const projectId = randomUUID();
  const sceneId = randomUUID();
  const res = await h.mutate(token, [
    m.insert('projects', projectId, { user_id: userId, title: 'Harbour' }, hlcAt(Date.now(), 'c1')),
    m.insert('scenes', sceneId, { project_id: projectId, position: 'a0', title: 'Opening' }, hlcAt(Date.now(), 'c1')),
  ]);
  expect(statuses(res.body)).toEqual(['applied', 'applied']);
  return { token, userId, projectId, sceneId };
}
