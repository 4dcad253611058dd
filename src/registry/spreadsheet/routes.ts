import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { defineRoute } from '../../server/route.ts';
import { dutyTableFileName, exportDutyTable } from './dutyTableExport.ts';
import { importDutyTable } from './dutyTableImport.ts';

const tags = ['registry 定岗定责'];
const id = z.object({ id: z.string().min(1).max(64) });

export const xlsxContentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** An honest table is tens of KB; 5 MB leaves room for embedded fonts and styles, no more. */
export const dutyTableUploadLimit = 5 * 1024 * 1024;

/**
 * The upload route takes the raw .xlsx as its body. Fastify parses only JSON and text by default, so the app
 * must know this content type; the parser keeps the bytes as a Buffer and enforces the upload limit. Call once
 * on the app, before it is ready.
 */
export function registerDutyTableUpload(app: FastifyInstance): void {
  if (app.hasContentTypeParser(xlsxContentType)) return;
  app.addContentTypeParser(
    xlsxContentType,
    { parseAs: 'buffer', bodyLimit: dutyTableUploadLimit },
    (_req, body, done) => done(null, body),
  );
}

/** RFC 6266/5987: an ASCII fallback for old clients, and the Chinese name in UTF-8 for the rest. */
export function contentDisposition(fileName: string, fallback: string): string {
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export const dutyTableRoutes = [
  defineRoute({
    method: 'GET',
    url: '/units/:id/duty-table.xlsx',
    summary: "The unit's 定岗定责定流程表 (with its sub-units) as an .xlsx workbook",
    tags,
    access: 'authenticated',
    params: id,
    async handler({ params }, ctx, _req, reply) {
      const file = await exportDutyTable(ctx, params.id);
      const unit = await ctx.db
        .selectFrom('units')
        .select('name')
        .where('id', '=', params.id)
        .executeTakeFirstOrThrow();
      const fallback = `duty-table-${params.id.replace(/[^A-Za-z0-9._-]/g, '_')}.xlsx`;
      return reply
        .header('content-type', xlsxContentType)
        .header('content-disposition', contentDisposition(dutyTableFileName(unit.name), fallback))
        .header('cache-control', 'no-store')
        .send(file);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/units/:id/duty-table',
    summary:
      "Replace the unit's work items by an uploaded 定岗定责定流程表 (.xlsx as the raw body): all rows or none",
    tags,
    access: ['sysadmin'],
    params: id,
    async handler({ params }, ctx, req, reply) {
      if (!Buffer.isBuffer(req.body)) {
        throw new AppError('unsupported_media_type', `请以 ${xlsxContentType} 类型上传 .xlsx 文件`, 415);
      }
      const result = await importDutyTable(ctx, params.id, req.body);
      if (result.ok) return { positions: result.positions, workItems: result.workItems };
      return reply.code(400).send({
        code: 'import_failed',
        message: `导入失败，未做任何更改：共 ${result.errors.length} 处错误`,
        fields: result.errors.map((e) => ({
          field: e.row > 0 ? `row ${e.row} / ${e.column}` : e.column,
          reason: e.reason,
        })),
        rows: result.errors,
      });
    },
  }),
];
