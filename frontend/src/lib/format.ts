// Small display helpers: money, dates, images.

/** "3388.00" → "3388.00" (two places); anything unreadable is shown as given. */
export function money(value: string | number | null | undefined): string {
  const n = typeof value === 'number' ? value : parseFloat(value ?? '')
  return Number.isFinite(n) ? n.toFixed(2) : String(value ?? '')
}

/** Sum of price × count in cents, returned as a two-place string (no floating-point drift). */
export function total(lines: readonly { price: string; count: number }[]): string {
  const cents = lines.reduce((sum, line) => sum + Math.round(parseFloat(line.price) * 100) * line.count, 0)
  return (cents / 100).toFixed(2)
}

export function dateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { hour12: false })
}

/** A transparent 1×1 image for products without a picture. */
export const NO_IMAGE =
  'data:image/svg+xml;utf8,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200"><rect width="200" height="200" fill="#f3f3f3"/><text x="100" y="108" font-size="20" text-anchor="middle" fill="#bbb" font-family="sans-serif">美多</text></svg>',
  )

export function imageOr(url: string | null | undefined): string {
  return url || NO_IMAGE
}

/** A fresh uuid4 for an image captcha. */
export function uuid4(): string {
  // randomUUID exists only in secure contexts (https, localhost); getRandomValues everywhere.
  const c = globalThis.crypto as Crypto & { randomUUID?: () => string }
  if (typeof c.randomUUID === 'function') return c.randomUUID()
  const bytes = c.getRandomValues(new Uint8Array(16))
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export const MOBILE_RE = /^1[3-9]\d{9}$/
export const USERNAME_RE = /^(?!\d+$)[A-Za-z0-9_]{5,20}$/
