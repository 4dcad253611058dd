import { AppError } from '../errors.ts';

/** Limits for a BPMN file: the seed charts are a few tens of kB; anything far larger is not a chart. */
export const xmlLimits = { maxBytes: 2 * 1024 * 1024, maxDepth: 64 } as const;

const refuse = (reason: string) =>
  new AppError('bpmn_unsafe', `BPMN 文件被拒绝：${reason}`, 400, [{ field: 'xml', reason }]);

/**
 * Check untrusted XML before any parser sees it. A DOCTYPE is the door to entity expansion ("billion laughs")
 * and external entities (XXE); BPMN never needs one, so any DOCTYPE or ENTITY declaration is refused outright.
 * Size and nesting depth are bounded so a crafted file cannot exhaust memory or the parser's stack.
 */
export function guardXml(xml: string): void {
  if (Buffer.byteLength(xml, 'utf8') > xmlLimits.maxBytes) {
    throw refuse(`文件超过 ${xmlLimits.maxBytes / 1024 / 1024} MB`);
  }
  if (/<!\s*(DOCTYPE|ENTITY)/i.test(xml)) throw refuse('不允许 DOCTYPE 或 ENTITY 声明');
  let depth = 0;
  let i = 0;
  const n = xml.length;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end < 0) throw refuse('注释未结束');
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      if (end < 0) throw refuse('CDATA 未结束');
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt + 2);
      if (end < 0) throw refuse('处理指令未结束');
      i = end + 2;
      continue;
    }
    if (xml.startsWith('<!', lt)) throw refuse('不允许的声明');
    const gt = findTagEnd(xml, lt + 1);
    if (gt < 0) throw refuse('标签未结束');
    if (xml[lt + 1] === '/') depth--;
    else if (xml[gt - 1] !== '/') {
      depth++;
      if (depth > xmlLimits.maxDepth) throw refuse(`嵌套层级超过 ${xmlLimits.maxDepth}`);
    }
    i = gt + 1;
  }
}

/** The `>` that closes a tag, skipping quoted attribute values (which may contain `>`). */
function findTagEnd(xml: string, from: number): number {
  let quote: string | null = null;
  for (let j = from; j < xml.length; j++) {
    const c = xml[j];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j;
  }
  return -1;
}
