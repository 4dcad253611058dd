// The platform's JSON API under /api/v1, as the workbench uses it. Errors arrive as {code, message, fields}
// with a Chinese message for people; they become ApiError so screens can show the message and the fields.

export interface FieldError {
  field: string;
  reason: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
    /** The whole error answer, for routes that say more than {code, message, fields} (an import's rows). */
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// The CSRF token is handed out only by the login answer. It is kept in sessionStorage (readable only by this
// origin, gone with the tab) so that a reload of the workbench can still write.
const csrfKey = 'gongkai.csrf';
let csrfToken: string | null = sessionStorage.getItem(csrfKey);

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  if (token) sessionStorage.setItem(csrfKey, token);
  else sessionStorage.removeItem(csrfKey);
}

export function hasCsrfToken(): boolean {
  return csrfToken !== null;
}

type Listener = () => void;
const unauthenticatedListeners = new Set<(notice: string) => void>();
const passwordChangeListeners = new Set<Listener>();

/** Called when the API says the session is gone (expired, logged out elsewhere): the app shows the login. */
export function onUnauthenticated(listener: (notice: string) => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

/** Called when the API refuses everything until the account's password is changed (first login, reset). */
export function onPasswordChangeRequired(listener: Listener): () => void {
  passwordChangeListeners.add(listener);
  return () => passwordChangeListeners.delete(listener);
}

interface ErrorBody {
  code?: unknown;
  message?: unknown;
  fields?: unknown;
}

function toFields(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((f: unknown) => {
    if (typeof f !== 'object' || f === null) return [];
    const { field, reason } = f as { field?: unknown; reason?: unknown };
    return typeof field === 'string' && typeof reason === 'string' ? [{ field, reason }] : [];
  });
}

async function errorFrom(res: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // a proxy's HTML error page, or nothing: fall back to a message from the status
  }
  const message =
    typeof body.message === 'string'
      ? body.message
      : res.status >= 500
        ? '服务器暂时无法处理请求，请稍后再试'
        : `请求失败（${res.status}）`;
  return new ApiError(
    res.status,
    typeof body.code === 'string' ? body.code : 'http_error',
    message,
    toFields(body.fields),
    body,
  );
}

async function send(method: string, path: string, body?: BodyInit, contentType?: string): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (contentType) headers['content-type'] = contentType;
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
  }
  if (!res.ok) {
    const error = await errorFrom(res);
    if (res.status === 401 && path !== '/session')
      for (const l of unauthenticatedListeners) l('登录已过期，请重新登录');
    if (error.code === 'password_change_required') for (const l of passwordChangeListeners) l();
    throw error;
  }
  return res;
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await send(
    method,
    path,
    body === undefined ? undefined : JSON.stringify(body),
    body === undefined ? undefined : 'application/json',
  );
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

export const get = <T>(path: string) => request<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => request<T>('POST', path, body);
export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);

/** A text answer (a BPMN file) as it is. */
export async function getText(path: string): Promise<string> {
  return (await send('GET', path)).text();
}

/** Upload a file as the raw request body (the duty-table import takes the .xlsx bytes). */
export async function upload<T>(path: string, file: Blob, contentType: string): Promise<T> {
  const res = await send('POST', path, file, contentType);
  return (await res.json()) as T;
}

/** Fetch a file and hand it to the browser as a download with the server's file name. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await send('GET', path);
  const disposition = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const name = star?.[1] ? decodeURIComponent(star[1]) : (plain?.[1] ?? fallbackName);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The error as a sentence for a message box. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return '操作失败';
}
