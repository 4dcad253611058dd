import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Context, inTransaction } from '../context.ts';
import { AppError } from '../errors.ts';
import { type Html, html } from '../portal/html.ts';
import { sendPage } from '../portal/http.ts';
import { canonicalJson } from '../security/idempotency.ts';
import { RateLimiter } from '../security/rateLimit.ts';
import { type CreatedRequest, type NewInfoRequest, requestCreator } from './commands/requestCreator.ts';
import { requestViews } from './queries.ts';
import {
  type ApplicantKind,
  deliveryForms,
  deliveryMethods,
  type OrganisationKind,
  organisationKindNames,
  organisationKinds,
} from './tables.ts';

/**
 * The online application form on the portal (issue 6 item 1; 条例 Art. 29): who asks (a natural person, or a
 * legal person / organisation of the annual report's kinds), proof of identity, a contact, the information
 * wanted, and the form and way of receiving it. A plain HTML form (the portal runs no script), posted once: a
 * token in the form is the request's idempotency key, so a double click or a resent form files one request.
 * The request is received the day it is submitted (Art. 31 (三): the platform confirms it at once with a
 * tracking number and a query code).
 */

const home = { href: '/', label: '首页' };
const apply = { href: '/xxgk/apply', label: '依申请公开' };
const path = '/xxgk/apply/online';

const deliveryFormNames: Record<(typeof deliveryForms)[number], string> = {
  paper: '纸质',
  electronic: '电子数据',
};
const deliveryMethodNames: Record<(typeof deliveryMethods)[number], string> = {
  post: '邮寄',
  pickup: '当面领取',
  email: '电子邮件',
  online: '网上获取',
  fax: '传真',
};

/** The bodies that receive requests: the government, its office, its departments, the townships (Art. 4, 10). */
async function receivingUnits(ctx: Context) {
  return ctx.db
    .selectFrom('units')
    .select(['id', 'name'])
    .where('kind', 'in', ['government', 'office', 'bureau', 'township'])
    .orderBy('sort_order')
    .orderBy('name')
    .execute();
}

type Values = Record<string, string>;

const fieldNames = [
  'unitId',
  'applicantKind',
  'organisationKind',
  'name',
  'idType',
  'idNumber',
  'organisationCode',
  'legalRepresentative',
  'contactName',
  'phone',
  'email',
  'address',
  'postalCode',
  'description',
  'documentNumber',
  'purpose',
  'deliveryForm',
  'deliveryMethod',
] as const;

const limits: Record<(typeof fieldNames)[number], number> = {
  unitId: 64,
  applicantKind: 20,
  organisationKind: 20,
  name: 200,
  idType: 20,
  idNumber: 40,
  organisationCode: 40,
  legalRepresentative: 60,
  contactName: 60,
  phone: 30,
  email: 200,
  address: 300,
  postalCode: 10,
  description: 5000,
  documentNumber: 100,
  purpose: 1000,
  deliveryForm: 20,
  deliveryMethod: 20,
};

function valuesOf(form: Record<string, string | undefined>): Values {
  const v: Values = {};
  for (const f of fieldNames) v[f] = (form[f] ?? '').trim().slice(0, limits[f]);
  return v;
}

const newToken = () => randomBytes(16).toString('base64url');

interface FormState {
  token: string;
  values: Values;
  errors: Map<string, string>;
  message: string | null;
}

function formBody(units: { id: string; name: string }[], s: FormState): Html {
  const v = s.values;
  const err = (f: string) => s.errors.get(f);
  const describedBy = (f: string) => (err(f) ? html` aria-invalid="true" aria-describedby="err-${f}"` : '');
  const note = (f: string) => (err(f) ? html`<span class="error" id="err-${f}">${err(f)}</span>` : '');
  const input = (f: string, label: string, extra: Html | string = '') =>
    html`<div class="field"><label for="ap-${f}">${label}</label>${note(f)}<input id="ap-${f}" name="${f}" maxlength="${limits[f as keyof typeof limits]}" value="${v[f] ?? ''}"${describedBy(f)}${extra}></div>`;
  const radios = (f: string, legend: string, options: [string, string][], checked: string) =>
    html`<fieldset><legend>${legend}</legend>${note(f)}${options.map(
      ([value, label]) =>
        html`<label><input type="radio" name="${f}" value="${value}"${value === checked ? html` checked` : ''}> ${label}</label> `,
    )}</fieldset>`;
  return html`<h1>网上申请政府信息公开</h1>
<p>请如实填写以下内容（《中华人民共和国政府信息公开条例》第二十九条）。提交后将获得申请编号和查询码，凭此可以<a href="/xxgk/apply/track">查询办理进度和答复</a>。带“*”的为必填项。</p>
${s.message ? html`<p class="error" role="alert">${s.message}</p>` : ''}
<form method="post" action="${path}">
<input type="hidden" name="token" value="${s.token}">
<div class="hp" aria-hidden="true"><label for="ap-website">请勿填写此项</label><input id="ap-website" name="website" tabindex="-1" autocomplete="off"></div>
<div class="field"><label for="ap-unitId">受理机关 *</label>${note('unitId')}<select id="ap-unitId" name="unitId" required${describedBy('unitId')}><option value="">请选择</option>${units.map(
    (u) => html`<option value="${u.id}"${u.id === v.unitId ? html` selected` : ''}>${u.name}</option>`,
  )}</select></div>
<h2>申请人信息</h2>
${radios(
  'applicantKind',
  '申请人类型 *',
  [
    ['naturalPerson', '公民（自然人）'],
    ['legalPerson', '法人或者其他组织'],
  ],
  v.applicantKind || 'naturalPerson',
)}
${input('name', '姓名或者名称 *', html` required autocomplete="name"`)}
<h3>公民填写</h3>
${input('idType', '身份证件类型')}
${input('idNumber', '身份证件号码 *（公民必填）', html` autocomplete="off"`)}
<h3>法人或者其他组织填写</h3>
<div class="field"><label for="ap-organisationKind">组织类型 *（法人或者其他组织必填）</label>${note('organisationKind')}<select id="ap-organisationKind" name="organisationKind"${describedBy('organisationKind')}><option value="">请选择</option>${organisationKinds.map(
    (k) =>
      html`<option value="${k}"${k === v.organisationKind ? html` selected` : ''}>${organisationKindNames[k]}</option>`,
  )}</select></div>
${input('organisationCode', '统一社会信用代码 *（法人或者其他组织必填）')}
${input('legalRepresentative', '法定代表人或者负责人')}
${input('contactName', '联系人')}
<h3>联系方式（至少填写一项）</h3>
${input('phone', '联系电话', html` type="tel" autocomplete="tel" inputmode="tel"`)}
${input('email', '电子邮箱', html` type="email" autocomplete="email"`)}
${input('address', '通信地址', html` autocomplete="street-address"`)}
${input('postalCode', '邮政编码', html` autocomplete="postal-code" inputmode="numeric"`)}
<h2>申请公开的政府信息</h2>
<div class="field"><label for="ap-description">所需政府信息的名称或者内容描述 *</label>${note('description')}<textarea id="ap-description" name="description" rows="5" maxlength="5000" required${describedBy('description')}>${v.description ?? ''}</textarea></div>
${input('documentNumber', '文件名称或者文号（知道的请填写）')}
${input('purpose', '其他说明（选填）')}
<h2>获取信息的方式</h2>
${radios(
  'deliveryForm',
  '信息的载体形式 *',
  deliveryForms.map((f) => [f, deliveryFormNames[f]]),
  v.deliveryForm || 'paper',
)}
${radios(
  'deliveryMethod',
  '获取信息的方式 *',
  deliveryMethods.map((m) => [m, deliveryMethodNames[m]]),
  v.deliveryMethod || 'post',
)}
<p><button type="submit">提交申请</button></p></form>`;
}

function receivedBody(r: CreatedRequest, dueOn: string | null, explanation: string | null): Html {
  const track = `/xxgk/apply/track?number=${encodeURIComponent(r.trackingNumber)}&code=${encodeURIComponent(r.queryCode)}`;
  return html`<h1>申请已提交</h1>
<p>我们已于${r.receivedOn}收到您的政府信息公开申请。请记下申请编号和查询码，凭此查询办理进度和答复。</p>
<div class="table-scroll"><table class="meta"><tbody>
<tr><th scope="row">申请编号</th><td><strong>${r.trackingNumber}</strong></td></tr>
<tr><th scope="row">查询码</th><td><strong>${r.queryCode}</strong></td></tr>
<tr><th scope="row">答复期限</th><td>${dueOn ?? '—'}</td></tr>
</tbody></table></div>
${explanation ? html`<p class="hint">${explanation}</p>` : ''}
<p><a href="${track}">查询办理进度</a></p>`;
}

function toApplication(v: Values): { input: NewInfoRequest; errors: Map<string, string> } {
  const errors = new Map<string, string>();
  const kind: ApplicantKind = v.applicantKind === 'legalPerson' ? 'legalPerson' : 'naturalPerson';
  const orgKind = organisationKinds.find((k) => k === v.organisationKind) ?? null;
  const form = deliveryForms.find((f) => f === v.deliveryForm);
  const method = deliveryMethods.find((m) => m === v.deliveryMethod);
  if (!v.unitId) errors.set('unitId', '请选择受理机关');
  if (!form) errors.set('deliveryForm', '请选择信息的载体形式');
  if (!method) errors.set('deliveryMethod', '请选择获取信息的方式');
  if (v.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email ?? '')) errors.set('email', '电子邮箱格式不正确');
  const opt = (s: string | undefined) => s || null;
  return {
    errors,
    input: {
      unitId: v.unitId ?? '',
      applicantKind: kind,
      organisationKind: kind === 'legalPerson' ? (orgKind as OrganisationKind | null) : null,
      name: v.name ?? '',
      idType: opt(v.idType),
      idNumber: kind === 'naturalPerson' ? opt(v.idNumber) : null,
      organisationCode: kind === 'legalPerson' ? opt(v.organisationCode) : null,
      legalRepresentative: opt(v.legalRepresentative),
      contactName: opt(v.contactName),
      phone: opt(v.phone),
      email: opt(v.email),
      address: opt(v.address),
      postalCode: opt(v.postalCode),
      description: v.description ?? '',
      documentNumber: opt(v.documentNumber),
      purpose: opt(v.purpose),
      deliveryForm: form ?? 'paper',
      deliveryMethod: method ?? 'post',
    },
  };
}

export function registerApplicationForm(
  app: FastifyInstance,
  deps: { contextFor(req: FastifyRequest): Promise<Context> },
): void {
  // Five applications a minute from one address is more than any person files; a script gets a polite page.
  const limiter = new RateLimiter({ perMinute: 5 });
  const title = '网上申请';
  const crumbs = [home, apply, { label: title }];
  const show = async (
    req: FastifyRequest,
    reply: FastifyReply,
    ctx: Context,
    state: FormState,
    status = 200,
  ) => sendPage(req, reply, { title, crumbs, body: formBody(await receivingUnits(ctx), state) }, { status });
  const received = async (req: FastifyRequest, reply: FastifyReply, ctx: Context, r: CreatedRequest) => {
    const [view] = await requestViews(ctx.db, { ids: [r.id] }, ctx.now());
    return sendPage(req, reply, {
      title: '申请已提交',
      crumbs: [home, apply, { label: '申请已提交' }],
      body: receivedBody(r, view?.clock.dueOn ?? null, view?.clock.publicExplanation ?? null),
    });
  };

  app.get(path, async (req, reply) => {
    const ctx = await deps.contextFor(req);
    return show(req, reply, ctx, { token: newToken(), values: {}, errors: new Map(), message: null });
  });

  app.register(async (scope) => {
    // Plain HTML forms post urlencoded bodies; parsed here only, for this form.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      },
    );
    scope.post(path, async (req, reply) => {
      const ctx = await deps.contextFor(req);
      const form = (req.body ?? {}) as Record<string, string | undefined>;
      const values = valuesOf(form);
      const again = (errors: Map<string, string>, message: string, status: number) =>
        show(req, reply, ctx, { token: newToken(), values, errors, message }, status);
      const wait = limiter.take(ctx.ip ?? 'unknown');
      if (wait > 0) return again(new Map(), `提交过于频繁，请 ${wait} 秒后再试。已填写的内容已保留。`, 429);
      const token = /^[A-Za-z0-9_-]{10,64}$/.test(form.token ?? '') ? (form.token as string) : newToken();
      const key = `portal:${token}`;
      const bodyHash = createHash('sha256').update(canonicalJson(values)).digest('hex');
      const prior = await ctx.db
        .selectFrom('info_requests')
        .select(['id', 'tracking_number', 'query_code', 'received_on', 'body_hash'])
        .where('idempotency_key', '=', key)
        .executeTakeFirst();
      if (prior) {
        // the same form sent twice (a double click, a reload): the request it filed, not a second one
        if (prior.body_hash !== bodyHash)
          return again(new Map(), '该表单已经提交过。如需提出新的申请，请在本页重新填写后提交。', 409);
        return received(req, reply, ctx, {
          id: prior.id,
          trackingNumber: prior.tracking_number,
          queryCode: prior.query_code,
          receivedOn: prior.received_on,
        });
      }
      // A filled honeypot is a robot: it sees the form again, and nothing is stored.
      if (form.website) return again(new Map(), '提交未成功，请重试。', 400);
      const { input, errors } = toApplication(values);
      if (errors.size) return again(errors, '请检查标出的项目。', 400);
      try {
        const created = await inTransaction(ctx, (c) => requestCreator(c, input, null, { key, bodyHash }));
        return received(req, reply, ctx, created);
      } catch (e) {
        if (!(e instanceof AppError)) {
          // the same form sent twice at once: the other submission won the key's unique index
          const won = await ctx.db
            .selectFrom('info_requests')
            .select(['id', 'tracking_number', 'query_code', 'received_on', 'body_hash'])
            .where('idempotency_key', '=', key)
            .executeTakeFirst();
          if (won?.body_hash !== bodyHash) throw e;
          return received(req, reply, ctx, {
            id: won.id,
            trackingNumber: won.tracking_number,
            queryCode: won.query_code,
            receivedOn: won.received_on,
          });
        }
        const fieldErrors = new Map(e.fields.map((f) => [f.field, f.reason]));
        if (e.code === 'not_found') fieldErrors.set('unitId', '请选择受理机关');
        return again(fieldErrors, fieldErrors.size ? '请检查标出的项目。' : e.message, e.status);
      }
    });
  });
}
