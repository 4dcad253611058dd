import { z } from 'zod';
import { inTransaction } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { nowIso } from '../../ids.ts';
import { defineRoute } from '../../server/route.ts';
import { appealKinds } from '../tables.ts';
import { computeAnnualReport, reportColumns, scopeKey, sectionKeys, table2Rows } from './annualReport.ts';
import { annualReportDocx, annualReportXlsx } from './export.ts';
import { annualReportRecord } from './reportRecord.ts';

const tags = ['reports 年度报告'];
const office = ['staff', 'leader'] as const;
const params = z.object({ year: z.coerce.number().int().min(2008).max(2100) });
const scope = z.object({ unit: z.string().max(64).optional() });

export const annualReportRoutes = [
  defineRoute({
    method: 'GET',
    url: '/reports/annual/:year',
    summary:
      'The annual report (2021 format): tables 二, 三, 四 from the data, sections 一, 五, 六, and the consistency checks; ?unit= for one unit and its sub-units',
    tags,
    access: 'authenticated',
    params,
    query: scope.extend({ sources: z.enum(['0', '1']).default('0') }),
    async handler({ params: p, query }, ctx) {
      const report = await computeAnnualReport(ctx.db, p.year, query.unit ?? null);
      return {
        ...report,
        // the tracking numbers behind each cell only on request: they make the answer large
        table3: report.table3.map((r) => (query.sources === '1' ? r : { ...r, sources: undefined })),
        allChecksPassed: report.checks.every((c) => c.passed),
      };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/reports/annual/:year/export',
    summary: 'The annual report as .docx or .xlsx',
    tags,
    access: 'authenticated',
    params,
    query: scope.extend({ format: z.enum(['docx', 'xlsx']) }),
    async handler({ params: p, query }, ctx, _req, reply) {
      const report = await computeAnnualReport(ctx.db, p.year, query.unit ?? null);
      const buf = query.format === 'docx' ? await annualReportDocx(report) : await annualReportXlsx(report);
      reply
        .header(
          'content-type',
          query.format === 'docx'
            ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        )
        .header('content-disposition', `attachment; filename="annual-report-${p.year}.${query.format}"`);
      return reply.send(buf);
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/reports/annual/:year/sections/:section',
    summary: 'Edit section 一 (总体情况), 五 (问题及改进) or 六 (其他事项) of the report',
    tags,
    access: office,
    params: params.extend({ section: z.enum(sectionKeys) }),
    query: scope,
    body: z.object({ text: z.string().max(50_000) }),
    async handler({ params: p, query, body }, ctx) {
      const values = {
        year: p.year,
        scope: scopeKey(query.unit ?? null),
        section: p.section,
        text: body.text,
        updated_at: nowIso(ctx.now()),
        updated_by: ctx.actor?.userId ?? null,
      };
      await ctx.db
        .insertInto('annual_report_texts')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['year', 'scope', 'section']).doUpdateSet({
            text: values.text,
            updated_at: values.updated_at,
            updated_by: values.updated_by,
          }),
        )
        .execute();
      return { year: p.year, section: p.section, text: body.text };
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/reports/annual/:year/figures',
    summary: 'Enter the figures of table 二 (proactive disclosure: 规章, 规范性文件, 许可, 处罚, 强制, 收费)',
    tags,
    access: office,
    params,
    query: scope,
    body: z.object({
      figures: z
        .array(z.object({ row: z.string(), column: z.string(), value: z.number().min(0).max(1e12) }))
        .max(100),
    }),
    async handler({ params: p, query, body }, ctx) {
      const fields = body.figures.flatMap((f, i) => {
        const row = table2Rows.find((r) => r.key === f.row);
        if (!row) return [{ field: `body.figures.${i}.row`, reason: '表二没有该行' }];
        if (!(row.columns as readonly string[]).includes(f.column))
          return [{ field: `body.figures.${i}.column`, reason: '该行没有该列' }];
        return [];
      });
      if (fields.length) throw new AppError('validation_failed', '表二数据有误', 400, fields);
      await inTransaction(ctx, async (c) => {
        for (const f of body.figures)
          await c.db
            .insertInto('annual_report_figures')
            .values({
              year: p.year,
              scope: scopeKey(query.unit ?? null),
              row_key: f.row,
              column_key: f.column,
              value: f.value,
            })
            .onConflict((oc) =>
              oc.columns(['year', 'scope', 'row_key', 'column_key']).doUpdateSet({ value: f.value }),
            )
            .execute();
      });
      return (await computeAnnualReport(ctx.db, p.year, query.unit ?? null)).table2;
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/reports/annual/:year/publish',
    summary:
      "Publish the report: its tables 三 and 四 are frozen, and next year's carry-over is checked against them. Refused while a check fails",
    tags,
    access: ['leader'],
    params,
    query: scope,
    async handler({ params: p, query }, ctx) {
      const report = await computeAnnualReport(ctx.db, p.year, query.unit ?? null);
      const failed = report.checks.filter((c) => !c.passed);
      if (failed.length)
        throw new AppError(
          'report_checks_failed',
          `年度报告未通过校验：${failed.map((f) => f.name).join('；')}`,
          409,
        );
      const at = nowIso(ctx.now());
      const key = scopeKey(query.unit ?? null);
      const published = await inTransaction(ctx, async (c) => {
        await c.db
          .deleteFrom('annual_report_cells')
          .where('year', '=', p.year)
          .where('scope', '=', key)
          .execute();
        const rows = [
          ...report.table3.flatMap((r) =>
            reportColumns.map((col) => ({
              table_key: '3',
              row_key: r.key,
              column_key: col,
              value: r.cells[col],
            })),
          ),
          ...appealKinds.flatMap((k) =>
            Object.entries(report.table4[k]).map(([col, value]) => ({
              table_key: '4',
              row_key: k,
              column_key: col,
              value,
            })),
          ),
        ];
        for (let i = 0; i < rows.length; i += 100)
          await c.db
            .insertInto('annual_report_cells')
            .values(rows.slice(i, i + 100).map((r) => ({ ...r, year: p.year, scope: key, published_at: at })))
            .execute();
        // The report becomes a proactive record in the same transaction (reportRecord.ts): frozen figures and
        // the public text never disagree.
        return annualReportRecord(c, report);
      });
      return { year: p.year, publishedAt: at, checks: report.checks, ...published };
    },
  }),
];
