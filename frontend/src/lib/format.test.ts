import { describe, expect, it } from 'vitest'
import { money, total, USERNAME_RE, MOBILE_RE, uuid4 } from './format'

describe('format', () => {
  it('shows money with two places and sums without float drift', () => {
    expect(money('3388')).toBe('3388.00')
    expect(total([{ price: '0.10', count: 3 }, { price: '6499.00', count: 2 }])).toBe('12998.30')
  })
  it('checks usernames and mobiles as the API does', () => {
    expect(USERNAME_RE.test('python_8')).toBe(true)
    expect(USERNAME_RE.test('12345678')).toBe(false)
    expect(USERNAME_RE.test('abc')).toBe(false)
    expect(MOBILE_RE.test('13800138000')).toBe(true)
    expect(MOBILE_RE.test('12800138000')).toBe(false)
  })
  it('makes uuid4 strings', () => {
    expect(uuid4()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})
