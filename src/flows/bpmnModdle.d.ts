// bpmn-moddle ships types for its model (bpmn-moddle/types) but none for the package entry; this is the part
// of its API that src/flows/moddle.ts uses. The element tree is read as unknown and narrowed where read.
declare module 'bpmn-moddle' {
  export interface ModdleWarning {
    message: string;
  }
  export interface ModdleParseResult {
    rootElement: unknown;
    warnings: ModdleWarning[];
  }
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<ModdleParseResult>;
  }
}
