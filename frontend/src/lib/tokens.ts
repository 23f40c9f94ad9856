// JWT session kept in the browser: localStorage when "remember me", else sessionStorage; expiry and refresh timing.

export interface Session {
  token: string
  refresh: string
  userId: number
  username: string
}

export interface KeyValueStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

const KEYS = { token: 'token', refresh: 'refresh', userId: 'user_id', username: 'username' } as const

/** Seconds before an access token expires at which it is renewed. */
export const REFRESH_MARGIN_S = 60

function base64UrlDecode(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/')
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4)
  const binary = atob(padded)
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0))
  return new TextDecoder().decode(bytes)
}

/** The `exp` claim of a JWT (seconds since the epoch), or null when it cannot be read. */
export function jwtExpiry(token: string | null | undefined): number | null {
  if (!token) return null
  const parts = token.split('.')
  if (parts.length !== 3) return null
  try {
    const payload = JSON.parse(base64UrlDecode(parts[1]!)) as { exp?: unknown }
    return typeof payload.exp === 'number' ? payload.exp : null
  } catch {
    return null
  }
}

/**
 * Milliseconds from `now` until the token should be renewed (REFRESH_MARGIN_S before it expires); 0 when it is
 * due now or already expired; null when the token has no readable expiry (then only a 401 triggers a refresh).
 */
export function msUntilRefresh(token: string | null | undefined, now: number = Date.now(), marginS = REFRESH_MARGIN_S): number | null {
  const exp = jwtExpiry(token)
  if (exp === null) return null
  return Math.max(0, exp * 1000 - marginS * 1000 - now)
}

/** Whether a request made `now` should renew the access token first. */
export function needsRefresh(token: string | null | undefined, now: number = Date.now(), marginS = REFRESH_MARGIN_S): boolean {
  return msUntilRefresh(token, now, marginS) === 0
}

/** Whether the token has already expired (a refresh token past this point cannot renew anything). */
export function isExpired(token: string | null | undefined, now: number = Date.now()): boolean {
  const exp = jwtExpiry(token)
  return exp !== null && exp * 1000 <= now
}

function readFrom(store: KeyValueStore): Session | null {
  const token = store.getItem(KEYS.token)
  const refresh = store.getItem(KEYS.refresh)
  if (!token || !refresh) return null
  return {
    token,
    refresh,
    userId: Number(store.getItem(KEYS.userId) ?? 0),
    username: store.getItem(KEYS.username) ?? '',
  }
}

function clearIn(store: KeyValueStore): void {
  for (const key of Object.values(KEYS)) store.removeItem(key)
}

/** Where the session lives: one browser-tab store (sessionStorage) and one lasting store (localStorage). */
export class SessionStore {
  constructor(
    private readonly tab: KeyValueStore,
    private readonly lasting: KeyValueStore,
  ) {}

  /** The saved session and whether it is remembered (in the lasting store). The tab's session wins. */
  load(): { session: Session; remember: boolean } | null {
    const inTab = readFrom(this.tab)
    if (inTab) return { session: inTab, remember: false }
    const lasting = readFrom(this.lasting)
    return lasting ? { session: lasting, remember: true } : null
  }

  /** Save a new session (after login or registration), clearing any other one. */
  save(session: Session, remember: boolean): void {
    this.clear()
    const store = remember ? this.lasting : this.tab
    store.setItem(KEYS.token, session.token)
    store.setItem(KEYS.refresh, session.refresh)
    store.setItem(KEYS.userId, String(session.userId))
    store.setItem(KEYS.username, session.username)
  }

  /** Store renewed tokens where the session already is (refresh rotation: the new refresh replaces the old). */
  rotate(token: string, refresh: string): void {
    const current = this.load()
    if (!current) return
    this.save({ ...current.session, token, refresh }, current.remember)
  }

  clear(): void {
    clearIn(this.tab)
    clearIn(this.lasting)
  }
}
