// The session's mechanics: tokens in browser storage, renewed shortly before they expire and on a 401. The
// session itself (who is signed in) lives in one place, the Pinia auth store (src/stores/auth.ts).
import { isExpired, msUntilRefresh, needsRefresh, SessionStore, type Session } from '@/lib/tokens'
import { useAuthStore } from '@/stores/auth'

const API_BASE = '/api/v1/'

function browserStore(kind: 'sessionStorage' | 'localStorage'): Storage {
  try {
    return window[kind]
  } catch {
    // Storage blocked (privacy mode): keep the session in memory only.
    const data = new Map<string, string>()
    return {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    } as Storage
  }
}

const store = new SessionStore(browserStore('sessionStorage'), browserStore('localStorage'))

/** The auth store's state (Pinia is installed before initSession() runs). */
function auth() {
  return useAuthStore()
}

/** The access token in place, without renewing it (after a refresh). */
export function currentToken(): string | null {
  return auth().session?.token ?? null
}

let timer: ReturnType<typeof setTimeout> | undefined
let refreshing: Promise<boolean> | null = null

function adopt(): void {
  const loaded = store.load()
  if (loaded && isExpired(loaded.session.refresh)) {
    store.clear()
    auth().session = null
  } else {
    auth().session = loaded?.session ?? null
    auth().remember = loaded?.remember ?? false
  }
  schedule()
}

function schedule(): void {
  clearTimeout(timer)
  const wait = msUntilRefresh(auth().session?.token)
  if (auth().session && wait !== null) {
    // Browsers cap timers at ~24.8 days; tokens live minutes, but stay safe.
    timer = setTimeout(() => void refreshTokens(), Math.min(wait, 2 ** 31 - 1))
  }
}

/** Start using the session saved in the browser (called once at start-up); follows logins in other tabs. */
export function initSession(): void {
  adopt()
  window.addEventListener('storage', (event) => {
    if (event.key === null || ['token', 'refresh', 'user_id', 'username'].includes(event.key)) adopt()
  })
}

/** Keep the session of a login or registration. */
export function startSession(session: Session, remember: boolean): void {
  store.save(session, remember)
  adopt()
}

/** Forget the session in this browser (the server side is ended by DELETE authorizations/). */
export function endSession(): void {
  store.clear()
  auth().session = null
  clearTimeout(timer)
}

async function doRefresh(): Promise<boolean> {
  // Another tab may already have rotated the tokens: use them rather than the stale refresh token.
  const saved = store.load()
  const current = auth().session
  if (saved && current && saved.session.refresh !== current.refresh) {
    adopt()
    if (!needsRefresh(auth().session?.token)) return true
  }
  const refresh = auth().session?.refresh
  if (!refresh) return false
  let response: Response
  try {
    response = await fetch(`${API_BASE}authorizations/refresh/`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ refresh }),
    })
  } catch {
    return false // offline: keep the session, try again later
  }
  if (response.ok) {
    const body = (await response.json()) as { token: string; refresh?: string }
    store.rotate(body.token, body.refresh ?? refresh)
    adopt()
    return true
  }
  if (response.status === 400 || response.status === 401 || response.status === 403) endSession()
  return false
}

/** Renew the access token (one request at a time); true when a fresh token is in place. */
export function refreshTokens(): Promise<boolean> {
  refreshing ??= doRefresh().finally(() => {
    refreshing = null
  })
  return refreshing
}

/** The access token to send now, renewed first when it is about to expire; null when signed out. */
export async function accessToken(): Promise<string | null> {
  const current = auth().session
  if (current && needsRefresh(current.token)) await refreshTokens()
  return auth().session?.token ?? null
}
