import { AppError } from '../errors.ts';
import type { Value } from './expressions.ts';
import type { VariableType } from './tables.ts';

export type Scalar = string | number | boolean | null;
/** What a case variable holds: a scalar, or a list of scalars (a countersign collection). */
export type VariableValue = Scalar | Scalar[];

const isScalar = (v: unknown): v is Scalar =>
  v === null ||
  typeof v === 'string' ||
  typeof v === 'boolean' ||
  (typeof v === 'number' && Number.isFinite(v));

export function toVariableValue(v: Value | undefined, name: string): VariableValue {
  if (v === undefined) return null;
  if (isScalar(v)) return v;
  if (Array.isArray(v) && v.every(isScalar)) return v;
  throw new AppError('variable_invalid', `变量 ${name} 只能是文字、数字、真假值或它们的列表`, 400, [
    { field: name, reason: '类型不支持' },
  ]);
}

export function variableType(v: VariableValue): VariableType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v as 'string' | 'number' | 'boolean';
}

/** One row per variable: its type in a column, the value as JSON text of that scalar or list. */
export const encodeValue = (v: VariableValue): string => JSON.stringify(v);

export function decodeValue(type: VariableType, text: string): VariableValue {
  const v: unknown = JSON.parse(text);
  if (type === 'list') return Array.isArray(v) ? v.filter(isScalar) : [];
  return isScalar(v) ? v : null;
}
