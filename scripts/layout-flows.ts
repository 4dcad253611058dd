// Lays out the demo flows: reads the semantic part of each demo/flows/*.bpmn with bpmn-moddle and (re)writes
// its BPMNDiagram so that bpmn-js and Camunda Modeler can draw it. The flow files are written by hand (the
// charts of the seed, box by box); only the diagram is generated, so a layout change never touches the flow.
//
//   npx tsx scripts/layout-flows.ts            lay out every file in demo/flows/
//   npx tsx scripts/layout-flows.ts a.bpmn …   lay out these files
//   npx tsx scripts/layout-flows.ts --check    parse every file and report moddle's warnings (exit 1 on any)
//
// The layout is deterministic (same file → same coordinates): layered left to right by the longest path from the
// start, the first branch of a node keeping its row and later branches taking new rows below, loops routed
// under the rows they span, boundary events on the bottom edge of their host.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';
import camunda from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };

const flowsDir = resolve(import.meta.dirname, '..', 'demo', 'flows');

/** A moddle element, read field by field (the package entry is untyped). */
interface El {
  readonly $type: string;
  readonly [key: string]: unknown;
}
const isEl = (v: unknown): v is El =>
  typeof v === 'object' && v !== null && typeof (v as { $type?: unknown }).$type === 'string';
const els = (v: unknown): El[] => (Array.isArray(v) ? v.filter(isEl) : []);
const idOf = (el: El): string => String(el.id);
const ref = (el: El, key: string): El | undefined => {
  const v = el[key];
  return isEl(v) ? v : undefined;
};

interface Box {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
  type: string;
}
interface Edge {
  id: string;
  points: [number, number][];
}
interface Layout {
  w: number;
  h: number;
  boxes: Box[];
  edges: Edge[];
}

const gapX = 50;
const gapY = 40;
const pad = 30;

function sizeOf(el: El): [number, number] {
  const t = el.$type;
  if (t.endsWith('Gateway')) return [50, 50];
  if (t.endsWith('Event')) return [36, 36];
  return [100, 80];
}

/** Lay out one container (a process or an expanded sub-process) at the origin. */
function layoutContainer(container: El): Layout {
  const all = els(container.flowElements);
  const flows = all.filter((e) => e.$type === 'bpmn:SequenceFlow');
  const boundaries = all.filter((e) => e.$type === 'bpmn:BoundaryEvent');
  const nodes = all.filter((e) => e.$type !== 'bpmn:SequenceFlow' && e.$type !== 'bpmn:BoundaryEvent');
  const hostOf = new Map<string, string>();
  for (const b of boundaries) {
    const host = ref(b, 'attachedToRef');
    if (host) hostOf.set(idOf(b), idOf(host));
  }
  // A flow leaving a boundary event is laid out as leaving its host.
  const from = (f: El) => {
    const s = idOf(ref(f, 'sourceRef') as El);
    return hostOf.get(s) ?? s;
  };
  const to = (f: El) => idOf(ref(f, 'targetRef') as El);
  const out = new Map<string, El[]>();
  const inCount = new Map<string, number>();
  for (const n of nodes) out.set(idOf(n), []);
  for (const f of flows) {
    out.get(from(f))?.push(f);
    inCount.set(to(f), (inCount.get(to(f)) ?? 0) + 1);
  }

  // Back edges: those closing a cycle in a depth-first walk from the start events (in file order).
  const back = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const order: string[] = [];
  const visit = (id: string) => {
    state.set(id, 'open');
    order.push(id);
    for (const f of out.get(id) ?? []) {
      const t = to(f);
      const s = state.get(t);
      if (s === 'open') back.add(idOf(f));
      else if (!s) visit(t);
    }
    state.set(id, 'done');
  };
  const starts = nodes.filter((n) => !inCount.get(idOf(n)));
  for (const s of starts) if (!state.has(idOf(s))) visit(idOf(s));
  for (const n of nodes) if (!state.has(idOf(n))) visit(idOf(n));

  // Layers: the longest path over forward edges (the walk order above is a topological order of them).
  const layer = new Map<string, number>();
  const topo = topoOrder(
    nodes.map(idOf),
    flows.filter((f) => !back.has(idOf(f))).map((f) => [from(f), to(f)] as [string, string]),
  );
  for (const id of topo) if (!layer.has(id)) layer.set(id, 0);
  for (const id of topo) {
    for (const f of out.get(id) ?? []) {
      if (back.has(idOf(f))) continue;
      const l = (layer.get(id) ?? 0) + 1;
      if ((layer.get(to(f)) ?? 0) < l) layer.set(to(f), l);
    }
  }

  // Rows: the first branch keeps its parent's row, later branches go to new rows below.
  const row = new Map<string, number>();
  const taken = new Set<string>();
  let maxRow = 0;
  const place = (id: string, wanted: number) => {
    let r = wanted;
    while (taken.has(`${layer.get(id)}:${r}`)) r++;
    row.set(id, r);
    taken.add(`${layer.get(id)}:${r}`);
    if (r > maxRow) maxRow = r;
  };
  const walk = (id: string) => {
    let first = true;
    const own = (out.get(id) ?? []).filter((f) => !hostOf.has(idOf(ref(f, 'sourceRef') as El)));
    const viaBoundary = (out.get(id) ?? []).filter((f) => hostOf.has(idOf(ref(f, 'sourceRef') as El)));
    for (const f of [...own, ...viaBoundary]) {
      const t = to(f);
      if (back.has(idOf(f)) || row.has(t)) continue;
      const fromBoundary = hostOf.has(idOf(ref(f, 'sourceRef') as El));
      place(
        t,
        first && !fromBoundary ? (row.get(id) ?? 0) : fromBoundary ? (row.get(id) ?? 0) + 1 : maxRow + 1,
      );
      first = false;
      walk(t);
    }
  };
  for (const s of starts) {
    if (row.has(idOf(s))) continue;
    place(idOf(s), row.size ? maxRow + 1 : 0);
    walk(idOf(s));
  }
  for (const n of nodes) if (!row.has(idOf(n))) place(idOf(n), maxRow + 1);

  // Inner layouts of sub-processes come first: they set the size of their box.
  const inner = new Map<string, Layout>();
  const size = new Map<string, [number, number]>();
  for (const n of nodes) {
    if (n.$type === 'bpmn:SubProcess') {
      const l = layoutContainer(n);
      inner.set(idOf(n), l);
      size.set(idOf(n), [l.w, l.h]);
    } else size.set(idOf(n), sizeOf(n));
  }
  const layers = Math.max(0, ...[...layer.values()]) + 1;
  const colW = Array.from({ length: layers }, () => 0);
  const rowH = Array.from({ length: maxRow + 1 }, () => 0);
  for (const n of nodes) {
    const [w, h] = size.get(idOf(n)) ?? [100, 80];
    const l = layer.get(idOf(n)) ?? 0;
    const r = row.get(idOf(n)) ?? 0;
    colW[l] = Math.max(colW[l] ?? 0, w);
    rowH[r] = Math.max(rowH[r] ?? 0, h);
  }
  const colX: number[] = [];
  let x = pad;
  for (const w of colW) {
    colX.push(x);
    x += w + gapX;
  }
  const rowY: number[] = [];
  let y = pad;
  for (const h of rowH) {
    rowY.push(y);
    y += h + gapY;
  }
  const box = new Map<string, Box>();
  const boxes: Box[] = [];
  const edges: Edge[] = [];
  for (const n of nodes) {
    const [w, h] = size.get(idOf(n)) ?? [100, 80];
    const l = layer.get(idOf(n)) ?? 0;
    const r = row.get(idOf(n)) ?? 0;
    const b: Box = {
      id: idOf(n),
      x: (colX[l] ?? 0) + Math.round(((colW[l] ?? 0) - w) / 2),
      y: (rowY[r] ?? 0) + Math.round(((rowH[r] ?? 0) - h) / 2),
      w,
      h,
      type: n.$type,
    };
    box.set(b.id, b);
    boxes.push(b);
    const il = inner.get(b.id);
    if (il) {
      for (const ib of il.boxes) boxes.push({ ...ib, x: ib.x + b.x, y: ib.y + b.y });
      for (const ie of il.edges)
        edges.push({
          id: ie.id,
          points: ie.points.map(([px, py]) => [px + b.x, py + b.y] as [number, number]),
        });
    }
  }
  // Boundary events sit on the bottom edge of their host, from the right.
  const onHost = new Map<string, number>();
  for (const bd of boundaries) {
    const host = box.get(hostOf.get(idOf(bd)) ?? '');
    if (!host) continue;
    const i = onHost.get(host.id) ?? 0;
    onHost.set(host.id, i + 1);
    const b: Box = {
      id: idOf(bd),
      x: host.x + host.w - 56 - i * 46,
      y: host.y + host.h - 18,
      w: 36,
      h: 36,
      type: bd.$type,
    };
    box.set(b.id, b);
    boxes.push(b);
  }
  let bottom = y;
  let loopLane = 0;
  for (const f of flows) {
    const s = box.get(idOf(ref(f, 'sourceRef') as El));
    const t = box.get(to(f));
    if (!s || !t) continue;
    const sy = s.y + s.h / 2;
    const ty = t.y + t.h / 2;
    let points: [number, number][];
    if (s.type === 'bpmn:BoundaryEvent') {
      const sx = s.x + s.w / 2;
      points =
        t.x > sx
          ? [
              [sx, s.y + s.h],
              [sx, ty],
              [t.x, ty],
            ]
          : [
              [sx, s.y + s.h],
              [sx, t.y + t.h + 20],
              [t.x + t.w / 2, t.y + t.h + 20],
              [t.x + t.w / 2, t.y + t.h],
            ];
    } else if (back.has(idOf(f)) || t.x <= s.x) {
      // A loop runs under every row between its ends, each in its own lane.
      const lowest = Math.max(
        ...boxes.filter((b) => b.x + b.w >= t.x && b.x <= s.x + s.w).map((b) => b.y + b.h),
      );
      const lane = lowest + 20 + 12 * loopLane++;
      bottom = Math.max(bottom, lane + pad);
      points = [
        [s.x + s.w / 2, s.y + s.h],
        [s.x + s.w / 2, lane],
        [t.x + t.w / 2, lane],
        [t.x + t.w / 2, t.y + t.h],
      ];
    } else if (
      Math.abs(sy - ty) < 1 &&
      boxes.some(
        (b) =>
          b.type !== 'bpmn:BoundaryEvent' && b.x > s.x + s.w && b.x + b.w < t.x && b.y < sy && b.y + b.h > sy,
      )
    ) {
      // A flow that skips boxes on its own row runs under them instead of through them.
      const lowest = Math.max(
        ...boxes.filter((b) => b.x + b.w >= s.x && b.x <= t.x + t.w && b.y <= sy).map((b) => b.y + b.h),
      );
      const lane = lowest + 20 + 12 * loopLane++;
      bottom = Math.max(bottom, lane + pad);
      points = [
        [s.x + s.w / 2, s.y + s.h],
        [s.x + s.w / 2, lane],
        [t.x + t.w / 2, lane],
        [t.x + t.w / 2, t.y + t.h],
      ];
    } else if (Math.abs(sy - ty) < 1) {
      points = [
        [s.x + s.w, sy],
        [t.x, ty],
      ];
    } else if (s.type.endsWith('Gateway')) {
      // Branches leave a gateway from its lower (or upper) corner and turn towards their target.
      const sx = s.x + s.w / 2;
      points = [
        [sx, ty > sy ? s.y + s.h : s.y],
        [sx, ty],
        [t.x, ty],
      ];
    } else {
      const mid = t.type.endsWith('Gateway') ? t.x + t.w / 2 : Math.round((s.x + s.w + t.x) / 2);
      points = t.type.endsWith('Gateway')
        ? [
            [s.x + s.w, sy],
            [mid, sy],
            [mid, ty > sy ? t.y : t.y + t.h],
          ]
        : [
            [s.x + s.w, sy],
            [mid, sy],
            [mid, ty],
            [t.x, ty],
          ];
    }
    edges.push({ id: idOf(f), points: points.map(([px, py]) => [Math.round(px), Math.round(py)]) });
  }
  return { w: x - gapX + pad, h: Math.max(bottom, y - gapY + pad), boxes, edges };
}

function topoOrder(ids: string[], edges: [string, string][]): string[] {
  const indeg = new Map(ids.map((i) => [i, 0]));
  const next = new Map<string, string[]>(ids.map((i) => [i, []]));
  for (const [a, b] of edges) {
    indeg.set(b, (indeg.get(b) ?? 0) + 1);
    next.get(a)?.push(b);
  }
  const queue = ids.filter((i) => !indeg.get(i));
  const result: string[] = [];
  while (queue.length) {
    const i = queue.shift() as string;
    result.push(i);
    for (const n of next.get(i) ?? []) {
      indeg.set(n, (indeg.get(n) ?? 0) - 1);
      if (!indeg.get(n)) queue.push(n);
    }
  }
  return result;
}

function diagramXml(processId: string, l: Layout): string {
  const lines = [
    '  <bpmndi:BPMNDiagram id="BPMNDiagram_1">',
    `    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${processId}">`,
  ];
  for (const b of l.boxes) {
    const extra =
      b.type === 'bpmn:SubProcess'
        ? ' isExpanded="true"'
        : b.type === 'bpmn:ExclusiveGateway'
          ? ' isMarkerVisible="true"'
          : '';
    lines.push(
      `      <bpmndi:BPMNShape id="${b.id}_di" bpmnElement="${b.id}"${extra}>`,
      `        <dc:Bounds x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" />`,
      '      </bpmndi:BPMNShape>',
    );
  }
  for (const e of l.edges) {
    lines.push(`      <bpmndi:BPMNEdge id="${e.id}_di" bpmnElement="${e.id}">`);
    for (const [px, py] of e.points) lines.push(`        <di:waypoint x="${px}" y="${py}" />`);
    lines.push('      </bpmndi:BPMNEdge>');
  }
  lines.push('    </bpmndi:BPMNPlane>', '  </bpmndi:BPMNDiagram>');
  return lines.join('\n');
}

/** Parse a flow file; the warnings are moddle's (none are expected in a demo flow). */
export async function parseFlow(xml: string): Promise<{ root: El; warnings: string[] }> {
  const plain = await new BpmnModdle().fromXML(xml);
  const withCamunda = await new BpmnModdle({ camunda }).fromXML(xml);
  if (!isEl(withCamunda.rootElement)) throw new Error('not a BPMN file');
  return {
    root: withCamunda.rootElement,
    warnings: [...plain.warnings, ...withCamunda.warnings].map((w) => w.message.split('\n')[0] ?? ''),
  };
}

export async function layoutFile(path: string): Promise<void> {
  const source = readFileSync(path, 'utf8').replace(
    /\s*<bpmndi:BPMNDiagram[\s\S]*<\/bpmndi:BPMNDiagram>/,
    '',
  );
  const { root } = await parseFlow(source);
  const process = els(root.rootElements).find((e) => e.$type === 'bpmn:Process');
  if (!process) throw new Error(`${path}: no process`);
  const diagram = diagramXml(idOf(process), layoutContainer(process));
  writeFileSync(path, source.replace(/\s*<\/bpmn:definitions>\s*$/, `\n${diagram}\n</bpmn:definitions>\n`));
}

async function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const named = args.filter((a) => !a.startsWith('--'));
  const files = named.length
    ? named.map((f) => resolve(f))
    : readdirSync(flowsDir)
        .filter((f) => f.endsWith('.bpmn'))
        .sort()
        .map((f) => join(flowsDir, f));
  let bad = 0;
  for (const f of files) {
    if (!check) await layoutFile(f);
    const { warnings } = await parseFlow(readFileSync(f, 'utf8'));
    for (const w of warnings) console.error(`${f}: ${w}`);
    bad += warnings.length;
  }
  console.log(`${files.length} files, ${bad} warnings`);
  if (bad) process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
