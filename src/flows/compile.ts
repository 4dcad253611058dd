import { AppError } from '../errors.ts';
import { hasAction } from './actions.ts';
import { parseIsoDuration } from './durations.ts';
import { compileExpression, isTemplate } from './expressions.ts';
import {
  child,
  elements,
  extensionAttribute,
  isElement,
  type MElement,
  namespaceDeclarations,
  readBpmn,
  text,
} from './moddle.ts';
import {
  type FlowNode,
  type MultiInstance,
  type OutcomeRule,
  outcomeRules,
  type ProcessModel,
  type SequenceFlow,
  type TimerSpec,
} from './model.ts';

const unsupported = (type: string, id: string | undefined, why = '') =>
  new AppError('bpmn_unsupported', `流程图含有不支持的元素：${type}（id=${id ?? '无'}）${why}`, 400, [
    { field: id ?? type, reason: `不支持的元素 ${type}${why}` },
  ]);

const invalidBpmn = (id: string, reason: string) =>
  new AppError('bpmn_invalid', `流程图有误：${id} ${reason}`, 400, [{ field: id, reason }]);

// Elements that draw but do not run (lanes are swimlanes of the chart; annotations are notes on it).
const ignoredArtifacts = new Set(['bpmn:TextAnnotation', 'bpmn:Association', 'bpmn:Group']);

/**
 * Extension elements the engine may pass over: `camunda:properties` it reads (defaults, service-task inputs),
 * `camunda:formData` only describes a form. Any other (listeners, input/output mappings, connectors, another
 * vendor's assignment elements) would change how the case runs if executed, so it is refused, not skipped.
 */
const passiveExtensions = new Set(['camunda:Properties', 'camunda:FormData']);

/** Parse and compile a BPMN file; refuses what the engine would not run exactly as drawn. */
export async function compileBpmn(xml: string): Promise<ProcessModel> {
  const definitions = await readBpmn(xml);
  const roots = elements(definitions.rootElements);
  const processes = roots.filter((r) => r.$type === 'bpmn:Process');
  // a pool drawn around the process (Camunda Modeler and bpmn.io draw lanes only inside one) names it
  let poolName: string | undefined;
  for (const r of roots) {
    if (r.$type === 'bpmn:Process' || r.$type === 'bpmn:Category') continue;
    if (r.$type !== 'bpmn:Collaboration') throw unsupported(r.$type, text(r, 'id'));
    for (const m of elements(r.messageFlows)) throw unsupported(m.$type, text(m, 'id'));
    for (const a of elements(r.artifacts)) {
      if (!ignoredArtifacts.has(a.$type)) throw unsupported(a.$type, text(a, 'id'));
    }
    for (const pool of elements(r.participants)) {
      if (isElement(pool.processRef)) poolName ??= text(pool, 'name')?.trim() || undefined;
    }
  }
  if (processes.length !== 1) {
    throw new AppError('bpmn_invalid', '一个流程图文件应恰好含有一个流程（bpmn:process）', 400, [
      { field: 'xml', reason: `含有 ${processes.length} 个流程` },
    ]);
  }
  const proc = processes[0] as MElement;
  return compileProcess(proc, namespaceDeclarations(definitions, proc), poolName);
}

function compileProcess(proc: MElement, ns: ReadonlyMap<string, string>, poolName?: string): ProcessModel {
  const key = text(proc, 'id') ?? '';
  if (!/^[A-Za-z_][\w.-]{0,99}$/.test(key))
    throw invalidBpmn(key || 'process', '流程 id 应为 XML 名称（如 flow-01-1-1）');
  checkExtensions(proc, key);
  const model: ProcessModel = {
    key,
    code: text(proc, 'code') ?? null,
    name: text(proc, 'name')?.trim() || poolName || key,
    startId: '',
    defaults: processDefaults(proc, key),
    nodes: new Map(),
    flows: new Map(),
  };
  model.startId = compileContainer(model, proc, key, ns);
  linkFlows(model);
  deriveOutcomes(model);
  return model;
}

const defaultName = /^[\p{L}_][\p{L}\p{N}_]{0,63}$/u;

/**
 * `<camunda:property name="default:noticeDays" value="7"/>` on the process (conventions: Statutory periods). The
 * value is text in the XML; a number or true/false is read as such, because timers and conditions compare it.
 */
function processDefaults(proc: MElement, key: string): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(properties(proc))) {
    if (!name.startsWith('default:')) continue;
    const variable = name.slice('default:'.length).trim();
    if (!defaultName.test(variable)) throw invalidBpmn(key, `默认值的变量名不合法：${name}`);
    const v = value.trim();
    // `${…}`: an expression over the start variables and the defaults before it (instanceStarter.applyDefaults)
    if (isTemplate(v)) checkExpression(key, v);
    out[variable] = /^-?\d+(\.\d+)?$/.test(v)
      ? Number(v)
      : v === 'true'
        ? true
        : v === 'false'
          ? false
          : value;
  }
  return out;
}

/** Compile one process or sub-process level; returns the id of its (single, plain) start event. */
function compileContainer(
  model: ProcessModel,
  container: MElement,
  containerId: string,
  ns: ReadonlyMap<string, string>,
): string {
  for (const a of elements(container.artifacts)) {
    if (!ignoredArtifacts.has(a.$type)) throw unsupported(a.$type, text(a, 'id'));
  }
  const starts: string[] = [];
  for (const el of elements(container.flowElements)) {
    const id = text(el, 'id');
    if (!id) throw invalidBpmn(el.$type, '缺少 id');
    if (model.nodes.has(id) || model.flows.has(id)) throw invalidBpmn(id, 'id 重复');
    checkExtensions(el, id);
    const base = {
      id,
      name: text(el, 'name') ?? '',
      container: containerId,
      incoming: [],
      outgoing: [],
      boundaries: [],
    };
    if (el.$type !== 'bpmn:UserTask' && el.loopCharacteristics !== undefined) {
      throw unsupported(
        child(el, 'loopCharacteristics')?.$type ?? 'loopCharacteristics',
        id,
        '：只有人工任务可以多实例',
      );
    }
    let n: FlowNode;
    switch (el.$type) {
      case 'bpmn:SequenceFlow': {
        const f: SequenceFlow = {
          id,
          name: text(el, 'name') ?? '',
          source: refId(el.sourceRef, id, 'sourceRef'),
          target: refId(el.targetRef, id, 'targetRef'),
          condition: expressionBody(el, 'conditionExpression'),
        };
        if (f.condition) checkExpression(id, f.condition);
        model.flows.set(id, f);
        continue;
      }
      case 'bpmn:StartEvent':
        noEventDefinitions(el, id);
        starts.push(id);
        n = { ...base, kind: 'startEvent' };
        break;
      case 'bpmn:EndEvent': {
        const defs = elements(el.eventDefinitions);
        const other = defs.find((d) => d.$type !== 'bpmn:TerminateEventDefinition');
        if (other) throw unsupported(other.$type, id);
        n = { ...base, kind: 'endEvent', terminate: defs.length > 0 };
        break;
      }
      case 'bpmn:UserTask':
        n = {
          ...base,
          kind: 'userTask',
          assignment: {
            assignee: attribute(el, 'assignee', id, ns),
            candidateUsers: attribute(el, 'candidateUsers', id, ns),
            candidateGroups: attribute(el, 'candidateGroups', id, ns),
          },
          multi: multiInstance(el, id, ns),
          outcomes: [],
        };
        break;
      case 'bpmn:ServiceTask': {
        const action = text(el, 'action');
        if (!action) throw invalidBpmn(id, '自动任务缺少 gongkai:action');
        if (!hasAction(action)) {
          throw new AppError(
            'bpmn_unknown_action',
            `流程图引用了未注册的自动任务：${action}（id=${id}）`,
            400,
            [{ field: id, reason: `未注册的自动任务 ${action}` }],
          );
        }
        n = { ...base, kind: 'serviceTask', action, properties: properties(el) };
        break;
      }
      case 'bpmn:ExclusiveGateway':
      case 'bpmn:InclusiveGateway':
        n = {
          ...base,
          kind: el.$type === 'bpmn:ExclusiveGateway' ? 'exclusiveGateway' : 'inclusiveGateway',
          defaultFlow: isElement(el.default) ? (text(el.default, 'id') ?? null) : null,
        };
        break;
      case 'bpmn:ParallelGateway':
        n = { ...base, kind: 'parallelGateway' };
        break;
      case 'bpmn:SubProcess':
        if (el.triggeredByEvent === true) throw unsupported('bpmn:SubProcess (event)', id);
        n = { ...base, kind: 'subProcess', startId: compileContainer(model, el, id, ns) };
        break;
      case 'bpmn:CallActivity': {
        const calledElement = text(el, 'calledElement');
        if (!calledElement) throw invalidBpmn(id, '调用活动缺少 calledElement');
        n = { ...base, kind: 'callActivity', calledElement };
        break;
      }
      case 'bpmn:IntermediateCatchEvent':
        n = { ...base, kind: 'timerCatch', timer: timerSpec(el, id) };
        break;
      case 'bpmn:BoundaryEvent':
        n = {
          ...base,
          kind: 'boundaryTimer',
          timer: timerSpec(el, id),
          attachedTo: refId(el.attachedToRef, id, 'attachedToRef'),
          cancelActivity: el.cancelActivity !== false,
        };
        break;
      default:
        throw unsupported(el.$type, id);
    }
    model.nodes.set(id, n);
  }
  if (starts.length !== 1) {
    throw invalidBpmn(containerId, `应恰好有一个开始事件（现有 ${starts.length} 个）`);
  }
  return starts[0] as string;
}

function refId(ref: unknown, id: string, what: string): string {
  const target = isElement(ref) ? text(ref, 'id') : undefined;
  if (!target) throw invalidBpmn(id, `缺少 ${what}`);
  return target;
}

function noEventDefinitions(el: MElement, id: string): void {
  const d = elements(el.eventDefinitions)[0];
  if (d) throw unsupported(d.$type, id, `（在 ${el.$type} 上）`);
}

function expressionBody(el: MElement, key: string): string | null {
  const e = child(el, key);
  const body = e ? text(e, 'body') : undefined;
  return body?.trim() ? body.trim() : null;
}

function checkExpression(id: string, source: string): void {
  try {
    compileExpression(source);
  } catch (err) {
    const reason = err instanceof AppError ? err.message : String(err);
    throw invalidBpmn(id, reason);
  }
}

/** The extension elements of an element or a process: only passive ones are let through (see above). */
function checkExtensions(el: MElement, id: string): void {
  for (const v of elements(child(el, 'extensionElements')?.values)) {
    if (!passiveExtensions.has(v.$type)) throw unsupported(v.$type, id, '：扩展元素会改变流程的运行');
  }
}

/** An assignment attribute, written for Camunda (camunda:assignee) or Flowable/Activiti (flowable:assignee). */
function attribute(el: MElement, key: string, id: string, ns: ReadonlyMap<string, string>): string | null {
  const v = extensionAttribute(el, key, ns)?.trim();
  if (!v) return null;
  if (isTemplate(v)) checkExpression(id, v);
  return v;
}

function multiInstance(el: MElement, id: string, ns: ReadonlyMap<string, string>): MultiInstance | null {
  const lc = child(el, 'loopCharacteristics');
  if (!lc) return null;
  if (lc.$type !== 'bpmn:MultiInstanceLoopCharacteristics') throw unsupported(lc.$type, id);
  const mi: MultiInstance = {
    sequential: lc.isSequential === true,
    collection: extensionAttribute(lc, 'collection', ns)?.trim() || null,
    cardinality: expressionBody(lc, 'loopCardinality'),
    elementVariable: extensionAttribute(lc, 'elementVariable', ns)?.trim() || null,
    completionCondition: expressionBody(lc, 'completionCondition'),
    outcomeRule: outcomeRule(el, id),
    approvingOutcome: text(el, 'approvingOutcome')?.trim() || null,
  };
  if (!mi.collection && !mi.cardinality)
    throw invalidBpmn(id, '多实例任务需要 camunda:collection 或 loopCardinality');
  if (mi.collection && isTemplate(mi.collection)) checkExpression(id, mi.collection);
  if (mi.cardinality) checkExpression(id, mi.cardinality);
  if (mi.completionCondition) checkExpression(id, mi.completionCondition);
  return mi;
}

function outcomeRule(el: MElement, id: string): OutcomeRule {
  const v = text(el, 'outcomeRule')?.trim();
  if (!v) return 'veto';
  if (!(outcomeRules as readonly string[]).includes(v))
    throw invalidBpmn(id, `gongkai:outcomeRule 应为 ${outcomeRules.join('、')} 之一（${v}）`);
  return v as OutcomeRule;
}

function properties(el: MElement): Record<string, string> {
  const out: Record<string, string> = {};
  const ext = child(el, 'extensionElements');
  for (const v of elements(ext?.values)) {
    if (v.$type !== 'camunda:Properties') continue;
    for (const p of elements(v.values)) {
      const name = text(p, 'name');
      if (name) out[name] = text(p, 'value') ?? '';
    }
  }
  return out;
}

function timerSpec(el: MElement, id: string): TimerSpec {
  const defs = elements(el.eventDefinitions);
  const timer = defs[0];
  if (!timer || defs.length > 1 || timer.$type !== 'bpmn:TimerEventDefinition') {
    throw unsupported(timer?.$type ?? `${el.$type} 无事件定义`, id, '：只支持定时事件');
  }
  if (timer.timeDate !== undefined || timer.timeCycle !== undefined) {
    throw unsupported('timeDate/timeCycle', id, '：定时事件只支持 timeDuration');
  }
  const duration = expressionBody(timer, 'timeDuration');
  if (!duration) throw invalidBpmn(id, '定时事件缺少 timeDuration');
  if (isTemplate(duration)) checkExpression(id, duration);
  else if (!parseIsoDuration(duration))
    throw invalidBpmn(id, `时长格式有误：${duration}（应为 P7D、PT2H 之类）`);
  return { duration, workingDays: el.workingDays === true || timer.workingDays === true };
}

/** Fill incoming/outgoing and boundary lists, and check every flow stays inside one container. */
function linkFlows(model: ProcessModel): void {
  for (const f of model.flows.values()) {
    const s = model.nodes.get(f.source);
    const t = model.nodes.get(f.target);
    if (!s || !t) throw invalidBpmn(f.id, '连线的起点或终点不存在');
    if (s.container !== t.container) throw invalidBpmn(f.id, '连线不能跨越子流程边界');
    if (t.kind === 'startEvent' || t.kind === 'boundaryTimer')
      throw invalidBpmn(f.id, '连线不能指向开始事件或边界事件');
    s.outgoing.push(f.id);
    t.incoming.push(f.id);
  }
  for (const n of model.nodes.values()) {
    if (n.kind === 'boundaryTimer') {
      const host = model.nodes.get(n.attachedTo);
      if (!host || !['userTask', 'subProcess', 'callActivity'].includes(host.kind)) {
        throw invalidBpmn(n.id, '边界定时事件只能附着在人工任务、子流程或调用活动上');
      }
      host.boundaries.push(n.id);
    }
    if ((n.kind === 'exclusiveGateway' || n.kind === 'inclusiveGateway') && n.defaultFlow) {
      if (!n.outgoing.includes(n.defaultFlow)) throw invalidBpmn(n.id, '默认连线不是该网关的出线');
    }
  }
}

/** A user task followed by a decision offers the labels of the decision's outgoing flows (conventions: Outcomes). */
function deriveOutcomes(model: ProcessModel): void {
  for (const n of model.nodes.values()) {
    if (n.kind !== 'userTask' || n.outgoing.length !== 1) continue;
    const next = model.nodes.get(model.flows.get(n.outgoing[0] as string)?.target ?? '');
    if (next?.kind !== 'exclusiveGateway' && next?.kind !== 'inclusiveGateway') continue;
    n.outcomes = next.outgoing
      .map((f) => model.flows.get(f)?.name ?? '')
      .filter((name) => name.trim() !== '');
  }
  for (const n of model.nodes.values()) {
    const approving = n.kind === 'userTask' ? n.multi?.approvingOutcome : null;
    if (n.kind === 'userTask' && approving && !n.outcomes.includes(approving))
      throw invalidBpmn(n.id, `gongkai:approvingOutcome（${approving}）不是其后决策的出线标签`);
  }
}
