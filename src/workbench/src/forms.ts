import type { FormInstance } from 'antd';
import { ApiError, type FieldError } from './api.ts';

export type NamePath = (string | number)[];

/**
 * The API names a bad field by its path in the request (`body.title`, `body.functions.2`, or from a command
 * `flowCodes.0`). Turn it into the form's name path; `toName` may map it further (a list shown as one
 * control, an object whose text field carries the error); null leaves it to the form-level alert.
 */
export function apiFieldPath(field: string): NamePath {
  const parts = field.split('.');
  if (parts[0] === 'body' || parts[0] === 'params' || parts[0] === 'query') parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Put the API's field errors next to their fields. Returns the errors that have no field in this form, so
 * the caller can show them in the form's alert instead of dropping them.
 */
export function showFieldErrors(
  form: FormInstance,
  error: unknown,
  toName: (path: NamePath) => NamePath | null,
): FieldError[] {
  if (!(error instanceof ApiError)) return [];
  const grouped = new Map<string, { name: NamePath; errors: string[] }>();
  const unplaced: FieldError[] = [];
  for (const f of error.fields) {
    const name = toName(apiFieldPath(f.field));
    if (!name) {
      unplaced.push(f);
      continue;
    }
    const key = JSON.stringify(name);
    const entry = grouped.get(key) ?? { name, errors: [] };
    entry.errors.push(f.reason);
    grouped.set(key, entry);
  }
  form.setFields([...grouped.values()].map((g) => ({ name: g.name, errors: g.errors })));
  return unplaced;
}

/** Map only the listed top-level fields; anything else goes to the alert. */
export const topLevel =
  (...names: string[]) =>
  (path: NamePath): NamePath | null =>
    typeof path[0] === 'string' && names.includes(path[0]) ? [path[0]] : null;
