import type { Kysely } from 'kysely';
import type { StoreMigration } from './index.ts';

// The generic document index of src/search/: original text for snippets and the filters in columns; the words
// themselves in the database's own full-text index, created by the dialect hook.
export const search: StoreMigration = {
  name: '0005_search',
  async up(db: Kysely<unknown>, hooks) {
    await db.schema
      .createTable('search_docs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('summary', 'text')
      .addColumn('content', 'text')
      .addColumn('area', 'text')
      .addColumn('sub_area', 'text')
      .addColumn('stage', 'text')
      .addColumn('body', 'text')
      .addColumn('body_name', 'text')
      .addColumn('year', 'integer')
      .addColumn('published_at', 'text', (c) => c.notNull())
      .addColumn('published_day', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('search_docs_published').on('search_docs').column('published_at').execute();
    await db.schema
      .createIndex('search_docs_area')
      .on('search_docs')
      .columns(['area', 'published_at'])
      .execute();
    await hooks.createSearchIndex(db);
  },
};
