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
    const reason = `不支持的元素 ${name}${line ? `（第 ${line} 行）` : ''}`;
    throw new AppError('bpmn_unsupported', `流程图含有不支持的元素：${name}`, 400, [
      { field: 'xml', reason },
    ]);
  }
  if (!isElement(result.rootElement)) throw new AppError('bpmn_invalid', 'BPMN 文件无法解析', 400);
  return result.rootElement;
}
