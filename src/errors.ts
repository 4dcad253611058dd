/** A field-level reason, in Chinese for the UI. */
export interface FieldError {
  field: string;
  reason: string;
}

/**
 * An error a user or API client caused and can act on: a stable `code` for programs, a Chinese `message` for
 * people, and the offending fields. The HTTP layer turns it into `{code, message, fields}`.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string, id: string) => new AppError('not_found', `${what}不存在：${id}`, 404);
export const forbidden = (message = '无权执行此操作') => new AppError('forbidden', message, 403);
export const unauthenticated = () => new AppError('unauthenticated', '请先登录', 401);
export const invalid = (fields: FieldError[], message = '输入有误，请检查标出的字段') =>
  new AppError('validation_failed', message, 400, fields);
export const conflict = (code: string, message: string) => new AppError(code, message, 409);
