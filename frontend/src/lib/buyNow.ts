// "Buy now" (立即购买): the checkout link of one SKU and the reading of it back from /place_order?sku_id=&count=.
import type { LocationQuery } from 'vue-router'

export interface BuyNow {
  sku_id: number
  count: number
}

/** The checkout page for `count` units of one SKU (the cart is left as it is). */
export function buyNowRoute(skuId: number, count: number) {
  return { path: '/place_order', query: { sku_id: String(skuId), count: String(count) } }
}

function positive(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return null
  const n = Number(value)
  return n >= 1 ? n : null
}

/**
 * What the checkout's query asks for: null without `sku_id` (the selected cart lines), the SKU and count (count
 * missing: 1), or 'invalid' when `sku_id` or `count` is not a whole number ≥ 1. An invalid link never falls back to
 * the cart, which could order goods the shopper did not mean to buy.
 */
export function buyNowQuery(query: LocationQuery): BuyNow | null | 'invalid' {
  if (query.sku_id === undefined) return null
  const skuId = positive(query.sku_id)
  const count = query.count === undefined ? 1 : positive(query.count)
  return skuId && count ? { sku_id: skuId, count } : 'invalid'
}
