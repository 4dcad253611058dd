import { z } from 'zod';
import { notFound } from '../errors.ts';
import { maskName, maskText } from '../security/masks.ts';
import { decryptPersonal } from '../security/personalData.ts';
import { canEditUnitData } from '../security/policies.ts';
import { type AnyRoute, defineRoute } from '../server/route.ts';
import { objectionRef } from './objectionReceiver.ts';

const tags = ['disclosure 政务公开'];

export const objectionRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    url: '/records/:id/objections',
    summary:
      'Objections (异议) raised against a public notice, with the task each raised and its finding; name and contact in full only for the publishing unit',
    tags,
    access: ['sysadmin', 'leader', 'staff'],
    params: z.object({ id: z.string().min(1).max(64) }),
    async handler({ params }, ctx) {
      const record = await ctx.db
        .selectFrom('records')
        .select(['id', 'disclosing_unit_id'])
        .where('id', '=', params.id)
        .executeTakeFirst();
      if (!record) throw notFound('政府信息', params.id);
      // The objector's name and contact are the handler's to see (issue 7 item 5): the unit that published the
      // notice answers the objection; anyone else reads them masked.
      const handler = record.disclosing_unit_id
        ? await canEditUnitData(ctx, record.disclosing_unit_id)
        : false;
      const rows = await ctx.db
        .selectFrom('notice_objections')
        .selectAll()
        .where('record_id', '=', record.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return {
        items: rows.map((o) => {
          const name = decryptPersonal(o.name_enc);
          const contact = decryptPersonal(o.contact_enc);
          return {
            id: o.id,
            ref: objectionRef(o.id),
            content: handler ? o.content : maskText(o.content),
            name: handler ? name : maskName(name),
            contact: handler || contact === null ? contact : maskText(contact),
            state: o.state,
            taskId: o.task_id,
            finding: o.finding,
            createdAt: o.created_at,
            settledAt: o.settled_at,
          };
        }),
      };
    },
  }),
];
