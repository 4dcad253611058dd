import type { Db } from '../store/store.ts';
import { evaluateAttribute } from './expressions.ts';
import { child, elements, type MElement, readBpmn, text } from './moddle.ts';
import type { DefinitionRow } from './tables.ts';
import { decodeValue, type VariableValue } from './variableValues.ts';

// A user task's form (docs/bpmn-conventions.md, Task forms): the fields a chart declares with Camunda's standard
// `<camunda:formData><camunda:formField …>` extension, so the workbench asks for the case variables a step needs
// (01-1-2's 公文公开属性 at 拟稿 and 签发, seed 004 公文公开属性标注制度) instead of leaving them to free text. The
// engine does not run the form: the fields are what the task API presents; the variables come back through
// POST /tasks/:id/complete {variables} and the modules that read them check them (outgoingDocument.ts).

export const formFieldTypes = ['string', 'enum', 'boolean', 'long', 'date'] as const;
export type FormFieldType = (typeof formFieldTypes)[number];

export interface FormFieldDeclaration {
  id: string;
  label: string;
  type: FormFieldType;
  /** `defaultValue` as written: a literal or a `${…}` expression over the case's variables. */
  defaultValue: string | null;
  /** An enum's choices (`<camunda:value id name>`). */
  options: { value: string; label: string }[];
  /** `<camunda:constraint name="required"/>`. */
  required: boolean;
  /**
   * `<camunda:constraint name="requiredWhen" config="field=value"/>`: the field is asked only while another field of
   * the form has that value, and must then be filled (不予公开 needs its basis, 条例第十四条、第十五条、第十六条).
   */
  requiredWhen: { field: string; value: string } | null;
}

const forms = new Map<string, Promise<Map<string, FormFieldDeclaration[]>>>();

/** Every user task's declared fields of a stored definition, read once per definition (definitions never change). */
function formsOf(def: Pick<DefinitionRow, 'id' | 'xml'>): Promise<Map<string, FormFieldDeclaration[]>> {
  let m = forms.get(def.id);
  if (!m) {
    m = readForms(def.xml);
    m.catch(() => forms.delete(def.id));
    forms.set(def.id, m);
  }
  return m;
}

async function readForms(xml: string): Promise<Map<string, FormFieldDeclaration[]>> {
  const out = new Map<string, FormFieldDeclaration[]>();
  const walk = (container: MElement) => {
    for (const el of elements(container.flowElements)) {
      if (el.$type === 'bpmn:SubProcess') walk(el);
      if (el.$type !== 'bpmn:UserTask') continue;
      const id = text(el, 'id');
      const fields = formFields(el);
      if (id && fields.length) out.set(id, fields);
    }
  };
  for (const root of elements((await readBpmn(xml)).rootElements))
    if (root.$type === 'bpmn:Process') walk(root);
  return out;
}

function formFields(task: MElement): FormFieldDeclaration[] {
  const ext = child(task, 'extensionElements');
  const data = elements(ext?.values).find((v) => v.$type === 'camunda:FormData');
  if (!data) return [];
  return elements(data.fields).flatMap((f) => {
    const id = text(f, 'id')?.trim();
    if (!id) return [];
    const written = text(f, 'type')?.trim() ?? 'string';
    const type = (formFieldTypes as readonly string[]).includes(written)
      ? (written as FormFieldType)
      : 'string';
    const constraints = elements(child(f, 'validation')?.constraints);
    const when = constraints.find((c) => text(c, 'name') === 'requiredWhen');
    const [field, ...value] = (when ? (text(when, 'config') ?? '') : '').split('=');
    return [
      {
        id,
        label: text(f, 'label')?.trim() || id,
        type,
        defaultValue: text(f, 'defaultValue') ?? null,
        options: elements(f.values).map((v) => {
          const value = text(v, 'id') ?? '';
          return { value, label: text(v, 'name') || value };
        }),
        required: constraints.some((c) => text(c, 'name') === 'required'),
        requiredWhen: when && field?.trim() ? { field: field.trim(), value: value.join('=').trim() } : null,
      },
    ];
  });
}

/**
 * The form of a step as the task API presents it: each field with its value now — the case variable of the
 * same name when the case has one (a step done again shows what was given before), else the declared default
 * evaluated over the case's variables (签发 starts from the attribute marked at 拟稿).
 */
export async function taskForm(
  db: Db,
  def: Pick<DefinitionRow, 'id' | 'xml'>,
  instanceId: string,
  activityId: string,
) {
  const fields = (await formsOf(def)).get(activityId) ?? [];
  if (!fields.length) return [];
  const rows = await db
    .selectFrom('variables')
    .select(['name', 'type', 'value'])
    .where('scope_id', '=', instanceId)
    .execute();
  const variables = new Map<string, VariableValue>(rows.map((r) => [r.name, decodeValue(r.type, r.value)]));
  const currentValue = (f: FormFieldDeclaration): VariableValue => {
    const given = variables.get(f.id);
    if (given !== undefined) return given;
    if (f.defaultValue === null) return null;
    try {
      const v = evaluateAttribute(f.defaultValue, (name) => variables.get(name));
      return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
        ? v
        : null;
    } catch {
      // a default over a variable the case does not have (a document drafted without the marking): no default
      return null;
    }
  };
  return fields.map((f) => ({
    id: f.id,
    label: f.label,
    type: f.type,
    options: f.options,
    required: f.required,
    requiredWhen: f.requiredWhen,
    value: currentValue(f),
  }));
}
