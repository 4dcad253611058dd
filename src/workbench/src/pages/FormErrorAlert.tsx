import { Alert } from 'antd';
import type { FieldError } from '../api.ts';

/**
 * A form's refusal: the API's message, and below it the field errors that have no field in this form to stand
 * next to (showFieldErrors returns them), so no reason the server gave is dropped.
 */
export function FormErrorAlert({ error, unplaced }: { error: string | null; unplaced: FieldError[] }) {
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      message={error}
      description={
        unplaced.length ? (
          <ul>
            {unplaced.map((f) => (
              <li key={f.field}>
                {f.field}：{f.reason}
              </li>
            ))}
          </ul>
        ) : undefined
      }
      style={{ marginBottom: 16 }}
    />
  );
}
