import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Context } from '../context.ts';
import { type Html, html } from '../portal/html.ts';
import { sendPage } from '../portal/http.ts';
import { RateLimiter } from '../security/rateLimit.ts';
import { letterText, replyLetter } from './letters.ts';
import { presentPublicRequest } from './presenters.ts';
import { requestViews } from './queries.ts';

/**
 * The public tracking page (issue 6 item 4): with the tracking number and the query code the applicant got on
 * applying, anyone holding both sees the state, the dates, the due date with its explanation and, once
 * delivered, the reply — through presentPublicRequest only, so nothing personal (no name, contact, ID number,
 * nor the consulted third party's name) can reach the page. A plain GET form: the portal runs no script.
 */

const home = { href: '/', label: '首页' };
const apply = { href: '/xxgk/apply', label: '依申请公开' };
const path = '/xxgk/apply/track';

type Tracked = ReturnType<typeof presentPublicRequest>;

const field = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 40) : '');

function form(number: string, code: string, error: string | null): Html {
  return html`<form method="get" action="${path}" class="track-form">
${error ? html`<p class="error" role="alert" id="track-err">${error}</p>` : ''}
<div class="field"><label for="track-number">申请编号</label><input id="track-number" name="number" maxlength="40" required value="${number}"${error ? html` aria-describedby="track-err"` : ''}></div>
<div class="field"><label for="track-code">查询码</label><input id="track-code" name="code" maxlength="40" required autocomplete="off" value="${code}"></div>
<p><button type="submit">查询</button></p></form>`;
}

function result(t: Tracked): Html {
  const paragraphs = (t.reply?.text ?? '').split(/\n+/).filter((p) => p.trim());
  return html`<section aria-labelledby="track-h"><h2 id="track-h">申请编号 ${t.trackingNumber}</h2>
<div class="table-scroll"><table class="meta"><tbody>
<tr><th scope="row">受理机关</th><td>${t.unitName ?? '—'}</td><th scope="row">收到申请日期</th><td>${t.receivedOn}</td></tr>
<tr><th scope="row">办理状态</th><td>${t.stateName}</td><th scope="row">答复期限</th><td>${t.dueOn ?? '—'}（${t.clockStatusName}）</td></tr>
</tbody></table></div>
<p class="hint">${t.explanation}</p>
<h3>办理过程</h3>
<ol class="steps">${t.steps.map(
    (s) =>
      html`<li><time datetime="${s.onDate}">${s.onDate}</time> ${s.label}${s.days ? `（${s.days}个工作日）` : ''}${s.refDate ? `（期限至${s.refDate}）` : ''}</li>`,
  )}</ol>
${
  t.reply
    ? html`<h3>答复</h3><p>答复类型：${t.reply.outcome?.label ?? ''}　答复日期：${t.reply.repliedOn}　送达日期：${t.reply.deliveredOn ?? ''}</p>
<div class="doc">${paragraphs.map((p) => html`<p>${p}</p>`)}</div>`
    : html`<p>答复送达后，可在本页查看答复内容。</p>`
}</section>`;
}

export function registerRequestTracking(
  app: FastifyInstance,
  deps: { contextFor(req: FastifyRequest): Promise<Context> },
): void {
  // The query code is 8 characters of 31: guessing is hopeless, and this keeps a script from trying.
  const limiter = new RateLimiter({ perMinute: 20 });
  app.get(path, async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const number = field(q.number);
    const code = field(q.code).toUpperCase();
    const send = (body: Html, status = 200) =>
      sendPage(
        req,
        reply,
        {
          title: '办理进度查询',
          crumbs: [home, apply, { label: '办理进度查询' }],
          body: html`<h1>依申请公开办理进度查询</h1>
<p>请输入提交申请时获得的申请编号和查询码。查询结果只显示办理状态、日期和已送达的答复，不显示申请人的个人信息。</p>${body}`,
        },
        { status },
      );
    if (!number && !code) return send(form('', '', null));
    if (!number || !code) return send(form(number, code, '请同时填写申请编号和查询码。'), 400);
    const ctx = await deps.contextFor(req);
    const wait = limiter.take(ctx.ip ?? 'unknown');
    if (wait > 0) return send(form(number, code, `查询过于频繁，请 ${wait} 秒后再试。`), 429);
    const [view] = await requestViews(ctx.db, { trackingNumber: number }, ctx.now());
    // one answer for an unknown number and a wrong code, so numbers cannot be probed
    if (!view || view.row.query_code !== code)
      return send(form(number, code, '申请编号或查询码不正确，请核对后重新输入。'), 404);
    const letter = view.reply?.delivered_on ? replyLetter(view, true) : null;
    return send(
      html`${result(presentPublicRequest(view, letter ? letterText(letter) : null))}${form(number, code, null)}`,
    );
  });
}
