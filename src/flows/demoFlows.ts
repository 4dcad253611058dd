import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Context } from '../context.ts';
import type { DemoLoader } from '../demo/loadDemo.ts';
// publishNotice (12-2's three 公示, 13's 按月公示, 11's 发文公示) is the disclosure module's action: it must be
// registered before the flows that use it are imported, whichever module the caller loaded first.
import '../disclosure/flowActions.ts';
import { definitionImporter } from './definitions.ts';

/** The seed's flowcharts as BPMN files (demo/flows/<code>.bpmn), one per chart code. */
export const demoFlowsDir = resolve(import.meta.dirname, '..', '..', 'demo', 'flows');

/** The gongkai:action names the demo flows use: the engine must know each before a flow imports. */
export const demoFlowActions = ['publishNotice'] as const;

export function demoFlowFiles(): string[] {
  return readdirSync(demoFlowsDir)
    .filter((f) => f.endsWith('.bpmn'))
    .sort()
    .map((f) => join(demoFlowsDir, f));
}

/** Imports every demo flow through the same command as POST /api/v1/process-definitions. */
export const demoFlowsLoader: DemoLoader = {
  name: 'flows',
  async load(ctx: Context): Promise<string> {
    const codes: string[] = [];
    for (const file of demoFlowFiles()) {
      const def = await definitionImporter(ctx, readFileSync(file, 'utf8'));
      codes.push(def.code ?? def.key);
    }
    return `${codes.length} flow definitions (${codes.join(', ')})`;
  },
};
