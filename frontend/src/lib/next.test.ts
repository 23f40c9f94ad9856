import { describe, expect, it } from 'vitest'
import { safeNext } from './next'

describe('safeNext', () => {
  it('keeps paths of this site', () => {
    expect(safeNext('/user/orders?page=2')).toBe('/user/orders?page=2')
    expect(safeNext('/place_order')).toBe('/place_order')
  })
  it('refuses other hosts and odd values', () => {
    expect(safeNext('https://evil.example/')).toBe('/')
    expect(safeNext('//evil.example/')).toBe('/')
    expect(safeNext('/\\evil.example')).toBe('/')
    expect(safeNext(['/a'])).toBe('/')
    expect(safeNext(undefined)).toBe('/')
  })
})
