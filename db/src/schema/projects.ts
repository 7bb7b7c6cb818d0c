import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { ProjectSettings } from '../validators/project-settings';
import { brains } from './brains';
import { syncColumns } from './columns';
import { formatTemplates } from './format-templates';
import { users } from './users';

export const PROJECT_STATUSES = ['draft', 'active', 'archived'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** The sync scope root: a user sees the projects they own and everything under them. */
export const projects = pgTable(
  'projects',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    formatTemplateId: uuid('format_template_id').references(() => formatTemplates.id, { onDelete: 'set null' }),
    brainId: uuid('brain_id').references(() => brains.id, { onDelete: 'set null' }),
    settings: jsonb('settings').$type<ProjectSettings>().notNull().default({}),
    status: text('status', { enum: PROJECT_STATUSES }).notNull().default('draft'),
    ...syncColumns(),
  },
  (t) => [
    index('projects_user_id_idx').on(t.userId),
    check('projects_status_check', sql`${t.status} in ('draft', 'active', 'archived')`),
  ],
);

export type Project = typeof projects.$inferSelect;
export type NewProject = typeof projects.$inferInsert;
