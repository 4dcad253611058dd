import { BpmnModdle } from 'bpmn-moddle';
import camunda from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import { AppError } from '../errors.ts';
import { guardXml } from './xmlGuard.ts';

export const gongkaiNamespace = 'https://gongkai.cn/schema/bpmn/1.0';

/**
 * Our own attributes (docs/bpmn-conventions.md): gongkai:code on the process, gongkai:action on a service task,
 * gongkai:workingDays on a timer event (or its timerEventDefinition), gongkai:outcomeRule and
 * gongkai:approvingOutcome on a countersign (multi-instance user task). Declared as a moddle package so they are
 * read by namespace, whatever prefix a file binds to it.
 */
const gongkaiPackage = {
  name: 'Gongkai',
  prefix: 'gongkai',
  uri: gongkaiNamespace,
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  types: [
    {
      name: 'ProcessCode',
      extends: ['bpmn:Process'],
      properties: [{ name: 'code', isAttr: true, type: 'String' }],
    },
    {
      name: 'ServiceAction',
      extends: ['bpmn:ServiceTask'],
      properties: [{ name: 'action', isAttr: true, type: 'String' }],
    },
    {
      name: 'CountersignOutcome',
      extends: ['bpmn:UserTask'],
      properties: [
        { name: 'outcomeRule', isAttr: true, type: 'String' },
        { name: 'approvingOutcome', isAttr: true, type: 'String' },
      ],
    },
    {
      name: 'WorkingDays',
      extends: ['bpmn:Event', 'bpmn:TimerEventDefinition'],
      properties: [{ name: 'workingDays', isAttr: true, type: 'Boolean' }],
    },
  ],
};

/** A moddle element, read field by field: the tree is untyped at the package boundary. */
export interface MElement {
  readonly $type: string;
  readonly [key: string]: unknown;
}

export const isElement = (v: unknown): v is MElement =>
  typeof v === 'object' && v !== null && typeof (v as { $type?: unknown }).$type === 'string';

export const elements = (v: unknown): MElement[] => (Array.isArray(v) ? v.filter(isElement) : []);

export const text = (el: MElement, key: string): string | undefined => {
  const v = el[key];
  return typeof v === 'string' ? v : undefined;
};

export const child = (el: MElement, key: string): MElement | undefined => {
  const v = el[key];
  return isElement(v) ? v : undefined;
};

/** Parse untrusted BPMN XML (guarded first) into its moddle tree. Unknown elements are refused, not skipped. */
export async function readBpmn(xml: string): Promise<MElement> {
  guardXml(xml);
  const moddle = new BpmnModdle({ camunda, gongkai: gongkaiPackage });
  let result: Awaited<ReturnType<BpmnModdle['fromXML']>>;
  try {
    result = await moddle.fromXML(xml, 'bpmn:Definitions');
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new AppError('bpmn_invalid', `BPMN 文件无法解析：${reason}`, 400, [
      { field: 'xml', reason: reason ?? '' },
    ]);
  }
  // moddle skips what it cannot read and only warns; a skipped element would silently change the flow
  const unknown = result.warnings.find((w) => /unparsable content|unknown type/i.test(w.message));
  if (unknown) {
    const name = /<([^>\s]+)>/.exec(unknown.message)?.[1] ?? '?';
    const line = /line: (\d+)/.exec(unknown.message)?.[1];
    const id = idOfTag(xml, name);
    const reason = `不支持的元素 ${name}${line ? `（第 ${line} 行）` : ''}`;
    throw new AppError('bpmn_unsupported', `流程图含有不支持的元素：${name}（id=${id ?? '无'}）`, 400, [
      { field: id ?? 'xml', reason },
    ]);
  }
  if (!isElement(result.rootElement)) throw new AppError('bpmn_invalid', 'BPMN 文件无法解析', 400);
  return result.rootElement;
}

/** The id attribute of the first `<name …>` tag of a file: moddle names an element it cannot read, not its id. */
function idOfTag(xml: string, name: string): string | null {
  for (let from = 0; ; ) {
    const i = xml.indexOf(`<${name}`, from);
    if (i < 0) return null;
    from = i + 1;
    if (!/[\s/>]/.test(xml[i + name.length + 1] ?? '')) continue;
    const end = xml.indexOf('>', i);
    const m = /\sid\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(xml.slice(i, end < 0 ? undefined : end));
    return m?.[1] ?? m?.[2] ?? null;
  }
}

/**
 * The Flowable (and Activiti, whose attributes Flowable kept) namespaces: their assignment and multi-instance
 * attributes (issue 3 item 1) read like Camunda's. They are not declared as moddle packages because they name
 * the same properties as Camunda's (assignee …), which moddle refuses to define twice; moddle keeps them as
 * namespaced attributes instead.
 */
const flowableNamespaces = new Set(['http://flowable.org/bpmn', 'http://activiti.org/bpmn']);

/**
 * A Camunda attribute (`camunda:assignee`, read by moddle as a property), else the same attribute in the
 * Flowable/Activiti namespace under whatever prefix the file binds to it. `namespaces` maps prefixes to URIs.
 */
export function extensionAttribute(
  el: MElement,
  key: string,
  namespaces: ReadonlyMap<string, string>,
): string | undefined {
  const own = text(el, key);
  if (own !== undefined) return own;
  const attrs = el.$attrs;
  if (typeof attrs !== 'object' || attrs === null) return undefined;
  for (const [name, value] of Object.entries(attrs as Record<string, unknown>)) {
    const i = name.indexOf(':');
    if (i < 0 || name.slice(i + 1) !== key || typeof value !== 'string') continue;
    const uri = namespaces.get(name.slice(0, i));
    if (uri && flowableNamespaces.has(uri)) return value;
  }
  return undefined;
}

/** The `xmlns:prefix` declarations of the given elements (outermost first; inner ones win). */
export function namespaceDeclarations(...scopes: MElement[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const el of scopes) {
    const attrs = el.$attrs;
    if (typeof attrs !== 'object' || attrs === null) continue;
    for (const [name, value] of Object.entries(attrs as Record<string, unknown>)) {
      if (name.startsWith('xmlns:') && typeof value === 'string') out.set(name.slice(6), value);
    }
  }
  return out;
}
