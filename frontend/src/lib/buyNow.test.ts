import { describe, expect, it } from 'vitest'
import type { LocationQuery } from 'vue-router'
import { buyNowQuery, buyNowRoute } from './buyNow'

describe('buyNowQuery', () => {
  it('reads the SKU and count of a buy-now checkout link, count 1 when it is missing', () => {
    expect(buyNowQuery(buyNowRoute(3, 2).query)).toEqual({ sku_id: 3, count: 2 })
    expect(buyNowQuery({ sku_id: '3' })).toEqual({ sku_id: 3, count: 1 })
  })
  it('is the cart checkout without sku_id', () => {
    expect(buyNowQuery({})).toBeNull()
    expect(buyNowQuery({ count: '2' })).toBeNull()
  })
  it('refuses anything but whole numbers from 1', () => {
    const links: LocationQuery[] = [
      { sku_id: '0' },
      { sku_id: '-3' },
      { sku_id: 'abc' },
      { sku_id: '3.5' },
      { sku_id: '' },
      { sku_id: null },
      { sku_id: ['3', '4'] },
      { sku_id: '3', count: '0' },
      { sku_id: '3', count: '1e3' },
      { sku_id: '3', count: '' },
      { sku_id: '1234567890123456789' },
    ]
    for (const query of links) {
      expect(buyNowQuery(query)).toBe('invalid')
    }
  })
})
