import { z } from 'zod';
import { inTransaction } from '../context.ts';
import { notFound } from '../errors.ts';
import { defineRoute } from '../server/route.ts';
import { appointmentCreator } from './commands/appointmentCreator.ts';
import { personCreator } from './commands/personCreator.ts';
import { positionCreator } from './commands/positionCreator.ts';
import { supervisionCreator } from './commands/supervisionCreator.ts';
import { unitCreator } from './commands/unitCreator.ts';
import { workItemCreator, workItemUpdater } from './commands/workItemCreator.ts';
import { dutyTables } from './dutyTables.ts';
import {
  presentDutyTable,
  presentPerson,
  presentPosition,
  presentUnit,
  presentWorkItem,
} from './presenters.ts';
import {
  findWorkItems,
  listUnitRows,
  positionViews,
  subtreeIds,
  unitViews,
  workItemViews,
} from './queries.ts';
import { positionKinds, unitKinds } from './tables.ts';

const tags = ['registry 定岗定责'];
const admin = ['sysadmin'] as const;
const id = z.object({ id: z.string().min(1).max(64) });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

const workItemBody = z.object({
  number: z.string().max(10).nullable().optional(),
  title: z.string().min(1, '工作事项不能为空').max(200),
  functions: z.array(z.string().min(1).max(2000)).max(50).default([]),
  responsibilities: z
    .array(z.object({ kind: z.string().min(1).max(40), text: z.string().min(1).max(2000) }))
    .max(50)
    .default([]),
  flowCodes: z.array(z.string().min(1).max(20)).max(20).default([]),
  leadPersonId: z.string().nullable().default(null),
  assistantIds: z.array(z.string()).max(50).default([]),
  note: z.string().max(2000).nullable().optional(),
  sortOrder: z.number().int().optional(),
});

export const registryRoutes = [
  defineRoute({
    method: 'GET',
    url: '/units',
    summary: 'Units in tree order, each with its positions, holders and work items',
    tags,
    access: 'public',
    query: z.object({ root: z.string().optional(), kind: z.enum(unitKinds).optional() }),
    async handler({ query }, ctx) {
      const rows = await listUnitRows(ctx.db, query);
      return { items: (await unitViews(ctx.db, rows, ctx.now())).map(presentUnit) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/units/:id',
    summary:
      'One unit with its positions, work items, child units and its 定岗定责定流程表 (tables in 序号 order)',
    tags,
    access: 'public',
    params: id,
    async handler({ params }, ctx) {
      const rows = await listUnitRows(ctx.db, { root: params.id });
      const [unit, ...descendants] = await unitViews(ctx.db, rows, ctx.now());
      if (!unit) throw notFound('单位', params.id);
      // a 所属单位 opened on its own prints whom it belongs to (隶属关系)
      const parent = unit.row.parent_id
        ? ((await ctx.db
            .selectFrom('units')
            .selectAll()
            .where('id', '=', unit.row.parent_id)
            .executeTakeFirst()) ?? null)
        : null;
      return {
        ...presentUnit(unit),
        descendants: descendants.map(presentUnit),
        dutyTables: dutyTables([unit, ...descendants], parent).map(presentDutyTable),
      };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/units',
    summary: 'Create a unit',
    tags,
    access: admin,
    status: 201,
    body: z.object({
      parentId: z.string().nullable(),
      name: z.string().min(1, '单位名称不能为空').max(100),
      shortName: z.string().max(40).nullable().optional(),
      kind: z.enum(unitKinds),
      regionCode: z
        .string()
        .regex(/^\d{6}$/, '区划代码为 6 位数字')
        .nullable()
        .optional(),
      remit: z.string().max(5000).nullable().optional(),
      sortOrder: z.number().int().optional(),
    }),
    handler: ({ body }, ctx) => inTransaction(ctx, (c) => unitCreator(c, body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/positions',
    summary: 'Positions (optionally of one unit and its sub-units)',
    tags,
    access: 'public',
    query: z.object({ unit: z.string().optional() }),
    async handler({ query }, ctx) {
      const unitIds = query.unit
        ? await subtreeIds(ctx.db, query.unit)
        : (await listUnitRows(ctx.db)).map((u) => u.id);
      return { items: (await positionViews(ctx.db, unitIds, ctx.now())).map(presentPosition) };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/positions',
    summary: 'Create a position',
    tags,
    access: admin,
    status: 201,
    body: z.object({
      unitId: z.string(),
      name: z.string().min(1, '岗位名称不能为空').max(100),
      kind: z.enum(positionKinds),
      category: z.string().max(40).nullable().optional(),
      serial: z.number().int().nullable().optional(),
      number: z.number().int().nullable().optional(),
    }),
    handler: ({ body }, ctx) => inTransaction(ctx, (c) => positionCreator(c, body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/people',
    summary: 'People with the positions they hold today',
    tags,
    access: 'authenticated',
    query: z.object({ unit: z.string().optional() }),
    async handler({ query }, ctx) {
      let q = ctx.db.selectFrom('people').selectAll().orderBy('name');
      if (query.unit) {
        const ids = await subtreeIds(ctx.db, query.unit);
        if (!ids.length) return { items: [] };
        q = q.where('unit_id', 'in', ids);
      }
      const people = await q.execute();
      const day = ctx.now().toISOString().slice(0, 10);
      const held = await ctx.db
        .selectFrom('appointments')
        .innerJoin('positions', 'positions.id', 'appointments.position_id')
        .select(['appointments.person_id', 'positions.id', 'positions.name', 'positions.unit_id'])
        .where('appointments.starts_on', '<=', day)
        .where((eb) => eb.or([eb('appointments.ends_on', 'is', null), eb('appointments.ends_on', '>=', day)]))
        .execute();
      return {
        items: people.map((p) =>
          presentPerson(
            p,
            held
              .filter((h) => h.person_id === p.id)
              .map((h) => ({ id: h.id, name: h.name, unitId: h.unit_id })),
          ),
        ),
      };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/people',
    summary: 'Create a person',
    tags,
    access: admin,
    status: 201,
    body: z.object({
      name: z.string().min(1, '姓名不能为空').max(40),
      unitId: z.string().nullable(),
      title: z.string().max(100).nullable().optional(),
    }),
    handler: ({ body }, ctx) => inTransaction(ctx, (c) => personCreator(c, body)),
  }),
  defineRoute({
    method: 'POST',
    url: '/appointments',
    summary: 'A person takes a position from a date (to a date)',
    tags,
    access: admin,
    status: 201,
    body: z.object({
      personId: z.string(),
      positionId: z.string(),
      startsOn: date,
      endsOn: date.nullable().optional(),
    }),
    handler: ({ body }, ctx) => inTransaction(ctx, (c) => appointmentCreator(c, body)),
  }),
  defineRoute({
    method: 'POST',
    url: '/supervisions',
    summary: 'A leader takes charge of (分管) a unit from a date',
    tags,
    access: admin,
    status: 201,
    body: z.object({ personId: z.string(), unitId: z.string(), startsOn: date }),
    handler: ({ body }, ctx) => inTransaction(ctx, (c) => supervisionCreator(c, body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/work-items',
    summary: 'Work items, filtered by unit (and its sub-units) and flow code',
    tags,
    access: 'public',
    query: z.object({ unit: z.string().optional(), flowCode: z.string().optional() }),
    async handler({ query }, ctx) {
      return { items: (await findWorkItems(ctx.db, query)).map(presentWorkItem) };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/positions/:id/work-items',
    summary: 'Add a work item to a position',
    tags,
    access: admin,
    status: 201,
    params: id,
    body: workItemBody,
    handler: ({ params, body }, ctx) => inTransaction(ctx, (c) => workItemCreator(c, params.id, body)),
  }),
  defineRoute({
    method: 'PUT',
    url: '/work-items/:id',
    summary: 'Replace a work item',
    tags,
    access: admin,
    params: id,
    body: workItemBody,
    async handler({ params, body }, ctx) {
      await inTransaction(ctx, (c) => workItemUpdater(c, params.id, body));
      const [view] = await findWorkItemById(ctx.db, params.id);
      return view ? presentWorkItem(view) : null;
    },
  }),
];

async function findWorkItemById(db: Parameters<typeof findWorkItems>[0], workItemId: string) {
  const rows = await db.selectFrom('work_items').selectAll().where('id', '=', workItemId).execute();
  return workItemViews(db, rows);
}
