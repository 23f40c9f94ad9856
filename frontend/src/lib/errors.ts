// Turns an API error answer (API.md "Conventions") into what a page shows: messages per field, one form message.

export interface ApiErrorInfo {
  status: number
  /** Messages to show next to a form field, by field name. */
  fields: Record<string, string>
  /** A message for the whole form or page (non_field_errors, message, detail), or null. */
  message: string | null
  /** Seconds to wait (429 Retry-After), or null. */
  retryAfter: number | null
  /** The server is busy or down (503) or unreachable (status 0). */
  busy: boolean
  /** The stable machine-readable `code` of the error body (e.g. `captcha_required`), or null. */
  code: string | null
}

const FORM_KEYS = ['non_field_errors', 'message', 'detail']

function firstText(value: unknown): string | null {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = firstText(item)
      if (text) return text
    }
  }
  if (value && typeof value === 'object') {
    for (const item of Object.values(value)) {
      const text = firstText(item)
      if (text) return text
    }
  }
  return null
}

/** The one message of an error for a toast or a page: the form message, else the first field's, else null. */
export function messageOf(info: Pick<ApiErrorInfo, 'message' | 'fields'>): string | null {
  return info.message ?? Object.values(info.fields)[0] ?? null
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), or null. */
export function parseRetryAfter(header: string | null | undefined, now: number = Date.now()): number | null {
  if (!header) return null
  const trimmed = header.trim()
  if (/^\d+$/.test(trimmed)) return parseInt(trimmed, 10)
  const when = Date.parse(trimmed)
  if (Number.isNaN(when)) return null
  return Math.max(0, Math.ceil((when - now) / 1000))
}

/**
 * Map a status, a parsed body and a Retry-After header to field and form messages.
 * `knownFields` are the fields the form shows; a message for any other field becomes the form message.
 */
export function mapApiError(
  status: number,
  body: unknown,
  retryAfterHeader?: string | null,
  knownFields?: readonly string[],
): ApiErrorInfo {
  const info: ApiErrorInfo = {
    status,
    fields: {},
    message: null,
    retryAfter: status === 429 ? parseRetryAfter(retryAfterHeader) : null,
    busy: status === 503 || status === 0,
    code: null,
  }
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (key === 'code' || key === 'codes') {
        // `code`: the stable machine-readable code (docs/errors.md); `codes`: DRF's per-field codes.
        if (key === 'code' && typeof value === 'string') info.code = value
        continue
      }
      const text = firstText(value)
      if (!text) continue
      if (FORM_KEYS.includes(key)) {
        info.message ??= text
      } else if (!knownFields || knownFields.includes(key)) {
        info.fields[key] = text
      } else {
        info.message ??= text
      }
    }
  } else {
    info.message = firstText(body)
  }
  if (info.code === 'unavailable') info.busy = true
  return info
}
