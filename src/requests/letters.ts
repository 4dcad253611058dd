import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';
import { chineseDate } from '../calendar/calendar.ts';
import { maskText } from '../security/masks.ts';
import { outcomeByCode } from './outcomes.ts';
import type { RequestView } from './queries.ts';

export interface Letter {
  title: string;
  number: string | null;
  salutation: string;
  paragraphs: string[];
  signature: string;
  date: string;
}

/**
 * Masks ID, mobile and card numbers a handler may have typed into free text, with the platform's one rule
 * (rules.md §7, src/security/masks.ts). A mistyped ID number (wrong check digit) is masked too: this text is
 * shown to the public, where an almost-right ID number is still personal data.
 */
export const maskFreeText = (text: string): string => maskText(text, { anyIdShape: true });

/**
 * The reply letter (答复书) of a replied request, worded per outcome with the article it rests on
 * (条例 Art. 36, 37), and the remedies the applicant has (行政复议法 Art. 20: 60 days; 行政诉讼法 Art. 46: 6 months).
 * `forPublic`: the applicant is not named and free text is masked.
 */
export function replyLetter(v: RequestView, forPublic = false): Letter | null {
  const reply = v.reply;
  if (!reply) return null;
  const outcome = outcomeByCode.get(reply.outcome);
  if (!outcome) return null;
  const supplementNotice = v.events.find((e) => e.kind === 'supplementRequested');
  const detail = reply.detail ? (forPublic ? maskFreeText(reply.detail) : reply.detail) : '';
  const decisive = outcome.letter
    .replace('{detail}', detail)
    .replace(
      '{otherAgency}',
      reply.other_agency
        ? `该政府信息不属于本机关负责公开，负责公开的机关为${reply.other_agency}，您可以向其提出申请。`
        : '',
    )
    .replace('{supplementNoticeDate}', supplementNotice ? chineseDate(supplementNotice.on_date) : '');
  const paragraphs = [
    `本机关于${chineseDate(v.row.received_on)}收到您提出的政府信息公开申请（申请编号：${v.row.tracking_number}），要求获取“${
      forPublic ? maskFreeText(v.row.description) : v.row.description
    }”。经审查，现答复如下：`,
    decisive,
  ];
  if (outcome.group !== 'disclosed' || outcome.code === 'alreadyPublic')
    paragraphs.push(
      `如对本答复不服，可以自收到本答复之日起六十日内向${reply.review_body ?? '本机关的上一级行政机关或者本级人民政府'}申请行政复议，或者自收到本答复之日起六个月内向${reply.court ?? '有管辖权的人民法院'}提起行政诉讼。`,
    );
  else paragraphs.push(`如对本答复不服，可以依法申请行政复议或者提起行政诉讼。`);
  return {
    title: '政府信息公开申请答复书',
    number: reply.letter_number,
    salutation: forPublic ? '申请人：' : `${v.row.applicant_name}：`,
    paragraphs,
    signature: v.unitName ?? '',
    date: chineseDate(reply.replied_on),
  };
}

export const letterText = (l: Letter): string =>
  [l.title, l.number ?? '', l.salutation, ...l.paragraphs.map((p) => `　　${p}`), l.signature, l.date]
    .filter(Boolean)
    .join('\n');

const font = { ascii: 'FangSong', eastAsia: '仿宋_GB2312', hAnsi: 'FangSong' };

/** The letter as .docx (公文 style: 仿宋 三号 body, 小标宋 title). */
export async function replyLetterDocx(l: Letter): Promise<Buffer> {
  const run = (text: string, opts: { bold?: boolean; size?: number } = {}) =>
    new TextRun({ text, font, size: opts.size ?? 32, bold: opts.bold ?? false });
  const doc = new Document({
    creator: 'Gongkai',
    title: l.title,
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 300 },
            children: [
              new TextRun({ text: l.title, size: 44, font: { eastAsia: '方正小标宋简体', ascii: 'SimSun' } }),
            ],
          }),
          ...(l.number
            ? [new Paragraph({ alignment: AlignmentType.CENTER, children: [run(l.number)] })]
            : []),
          new Paragraph({ children: [run(l.salutation)] }),
          ...l.paragraphs.map((p) => new Paragraph({ indent: { firstLine: 640 }, children: [run(p)] })),
          new Paragraph({
            alignment: AlignmentType.RIGHT,
            spacing: { before: 600 },
            children: [run(l.signature)],
          }),
          new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(l.date)] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
