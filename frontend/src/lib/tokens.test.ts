import { describe, expect, it } from 'vitest'
import { isExpired, jwtExpiry, msUntilRefresh, needsRefresh, SessionStore, type KeyValueStore } from './tokens'

function b64url(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function jwt(payload: object): string {
  return `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(JSON.stringify(payload))}.signature`
}

class MemoryStore implements KeyValueStore {
  data = new Map<string, string>()
  getItem(key: string) {
    return this.data.get(key) ?? null
  }
  setItem(key: string, value: string) {
    this.data.set(key, value)
  }
  removeItem(key: string) {
    this.data.delete(key)
  }
}

describe('JWT expiry', () => {
  it('reads exp from the payload, also with non-ASCII claims', () => {
    expect(jwtExpiry(jwt({ exp: 1700000000, username: '张三' }))).toBe(1700000000)
    expect(jwtExpiry('not-a-jwt')).toBeNull()
    expect(jwtExpiry(jwt({ user_id: 1 }))).toBeNull()
    expect(jwtExpiry(null)).toBeNull()
  })

  it('schedules the refresh a minute before expiry', () => {
    const now = 1_700_000_000_000
    const token = jwt({ exp: now / 1000 + 30 * 60 })
    expect(msUntilRefresh(token, now)).toBe(29 * 60 * 1000)
    expect(needsRefresh(token, now)).toBe(false)
    expect(needsRefresh(token, now + 29 * 60 * 1000)).toBe(true)
    expect(msUntilRefresh(token, now + 3600 * 1000)).toBe(0)
    expect(msUntilRefresh('opaque', now)).toBeNull()
    expect(needsRefresh('opaque', now)).toBe(false)
  })

  it('tells an expired token', () => {
    const token = jwt({ exp: 100 })
    expect(isExpired(token, 99_000)).toBe(false)
    expect(isExpired(token, 100_000)).toBe(true)
    expect(isExpired('opaque', 100_000)).toBe(false)
  })
})

describe('SessionStore', () => {
  const session = { token: 'a', refresh: 'r', userId: 7, username: 'python' }

  it('keeps a remembered session in the lasting store, else in the tab store', () => {
    const tab = new MemoryStore()
    const lasting = new MemoryStore()
    const store = new SessionStore(tab, lasting)
    store.save(session, true)
    expect(lasting.getItem('token')).toBe('a')
    expect(tab.getItem('token')).toBeNull()
    expect(store.load()).toEqual({ session, remember: true })

    store.save(session, false)
    expect(lasting.getItem('token')).toBeNull()
    expect(tab.getItem('user_id')).toBe('7')
    expect(store.load()).toEqual({ session, remember: false })
  })

  it('rotates tokens in place and clears both stores on logout', () => {
    const tab = new MemoryStore()
    const lasting = new MemoryStore()
    const store = new SessionStore(tab, lasting)
    store.save(session, true)
    store.rotate('b', 'r2')
    expect(store.load()).toEqual({ session: { ...session, token: 'b', refresh: 'r2' }, remember: true })
    store.clear()
    expect(store.load()).toBeNull()
    expect(lasting.data.size + tab.data.size).toBe(0)
  })
})
