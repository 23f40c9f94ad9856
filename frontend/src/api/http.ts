// fetch wrapper for /api/v1: JSON in and out (a FormData body goes as multipart, a download can be read as a Blob),
// the JWT header, one retry after a token refresh, typed errors,
// a time limit on every request and cancellation by the caller (an AbortSignal).
import { mapApiError, type ApiErrorInfo } from '@/lib/errors'
import { accessToken, currentToken, endSession, refreshTokens } from './session'

export const API_BASE = '/api/v1/'
/** A request that has not answered in this time is abandoned: the page says so instead of waiting forever. */
export const REQUEST_TIMEOUT_MS = 15_000

export class ApiError extends Error {
  constructor(readonly info: ApiErrorInfo) {
    super(info.message ?? `HTTP ${info.status}`)
  }
  get status(): number {
    return this.info.status
  }
}

/** `none`: never send the token; `optional`: send it when signed in (cart); `required`: a user resource. */
export type AuthMode = 'none' | 'optional' | 'required'

export interface RequestOptions {
  query?: Record<string, string | number | boolean | null | undefined>
  body?: unknown
  auth?: AuthMode
  /** Cancels the request (e.g. a page that asks again before the last answer came): rejects with code `cancelled`. */
  signal?: AbortSignal
  /** Overrides REQUEST_TIMEOUT_MS; past it the request rejects with code `timeout`. */
  timeoutMs?: number
  /** Resolve with the answer's bytes as a Blob (a file download) instead of parsed JSON. */
  blob?: boolean
}

/** The error of a request that was cancelled by its caller; pages ignore it. */
export function isCancelled(error: unknown): boolean {
  return error instanceof ApiError && error.info.code === 'cancelled'
}

let language = 'zh-hans'
let onLoginRequired: () => void = () => {}

/** The language the server answers in (Accept-Language). */
export function setApiLanguage(lang: string): void {
  language = lang
}

/** What to do when a signed-in request cannot be authenticated (the router sends the user to /login?next=…). */
export function setLoginRequiredHandler(handler: () => void): void {
  onLoginRequired = handler
}

export function apiUrl(path: string, query?: RequestOptions['query']): string {
  const url = API_BASE + path.replace(/^\//, '')
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  }
  const qs = params.toString()
  return qs ? `${url}?${qs}` : url
}

async function readBody(response: Response, blob = false): Promise<unknown> {
  if (response.status === 204) return null
  if (blob && response.ok) return response.blob()
  const type = response.headers.get('Content-Type') ?? ''
  const text = await response.text()
  if (type.includes('json')) {
    try {
      return JSON.parse(text)
    } catch {
      return null
    }
  }
  return text
}

async function send(
  method: string,
  url: string,
  body: unknown,
  token: string | null,
  options: RequestOptions,
): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language }
  const form = body instanceof FormData // the browser writes the multipart Content-Type with its boundary
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json'
  if (token) headers.Authorization = `JWT ${token}`
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, options.timeoutMs ?? REQUEST_TIMEOUT_MS)
  const cancel = () => controller.abort()
  options.signal?.addEventListener('abort', cancel)
  try {
    if (options.signal?.aborted) controller.abort()
    return await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
      signal: controller.signal,
    })
  } catch (error) {
    if (controller.signal.aborted) throw new ApiError({ ...mapApiError(0, null), code: timedOut ? 'timeout' : 'cancelled' })
    throw error
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', cancel)
  }
}

function fail(status: number, body: unknown, response?: Response): never {
  throw new ApiError(mapApiError(status, body, response?.headers.get('Retry-After')))
}

/** Call the API; resolves with the parsed body, rejects with an ApiError. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const mode = options.auth ?? 'none'
  const url = apiUrl(path, options.query)
  let token = mode === 'none' ? null : await accessToken()
  if (mode === 'required' && !token) {
    onLoginRequired()
    fail(401, { detail: null })
  }
  let response: Response
  try {
    response = await send(method, url, options.body, token, options)
    if (response.status === 401 && token) {
      // Expired or revoked access token: renew once and retry; otherwise the session is over.
      if (await refreshTokens()) {
        token = currentToken()
      } else {
        endSession()
        token = null
      }
      if (token || mode === 'optional') response = await send(method, url, options.body, token, options)
    }
  } catch (error) {
    if (error instanceof ApiError) throw error
    fail(0, null)
  }
  const body = await readBody(response, options.blob)
  if (!response.ok) {
    if (response.status === 401 && mode === 'required') {
      endSession()
      onLoginRequired()
    }
    fail(response.status, body, response)
  }
  return body as T
}

export const http = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body: body ?? {} }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body: body ?? {} }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body: body ?? {} }),
  delete: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('DELETE', path, { ...options, body }),
}
