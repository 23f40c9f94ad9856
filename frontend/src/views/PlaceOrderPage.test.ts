// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { ApiError } from '@/api/http'
import { i18n } from '@/i18n'
import { mapApiError } from '@/lib/errors'
import PlaceOrderPage from './PlaceOrderPage.vue'

const api = vi.hoisted(() => ({
  settlement: vi.fn(),
  addresses: vi.fn(),
  placeOrder: vi.fn(),
  miniCart: vi.fn(),
}))
vi.mock('@/api', () => ({ api }))

const PHONE = { id: 3, name: '华为 Mate 60 雅丹黑 256GB', default_image_url: null, price: '5999.00', count: 2 }
const CASE = { id: 7, name: '手机壳', default_image_url: null, price: '20.00', count: 1 }
const BOOK = {
  default_address_id: 9,
  limit: 20,
  addresses: [{ id: 9, title: '家', receiver: '李华', province: '北京市', city: '北京市', district: '海淀区', place: '中关村大街 1 号', mobile: '13912345678' }],
}

beforeEach(() => {
  i18n.global.locale.value = 'zh-hans'
  setActivePinia(createPinia())
  vi.clearAllMocks()
  api.miniCart.mockResolvedValue([])
  api.addresses.mockResolvedValue(BOOK)
  api.settlement.mockImplementation(async (buyNow) => ({ freight: '0.00', skus: buyNow ? [{ ...PHONE, count: buyNow.count }] : [CASE] }))
  api.placeOrder.mockResolvedValue({ order_id: '20261206042930000000005' })
})

async function mountCheckout(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/place_order', component: PlaceOrderPage },
      { path: '/order_success', component: { template: '<p>success</p>' } },
      { path: '/cart', component: { template: '<p>cart</p>' } },
      { path: '/detail/:skuId', component: { template: '<p>detail</p>' } },
    ],
  })
  await router.push(path)
  await router.isReady()
  const wrapper = mount(PlaceOrderPage, { global: { plugins: [i18n, router] } })
  await flushPromises()
  return { wrapper, router }
}

describe('checkout of the cart', () => {
  it('settles and orders the selected cart lines', async () => {
    const { wrapper, router } = await mountCheckout('/place_order')
    expect(api.settlement).toHaveBeenCalledWith(null)
    expect(wrapper.find('.goods').text()).toContain('手机壳')
    expect(wrapper.find('[data-test=buy-now-hint]').exists()).toBe(false)
    await wrapper.get('[data-test=place-order]').trigger('click')
    await flushPromises()
    expect(api.placeOrder).toHaveBeenCalledWith(9, 2, null)
    expect(api.miniCart).toHaveBeenCalled() // the ordered lines left the cart: the header count is read again
    expect(router.currentRoute.value.path).toBe('/order_success')
  })
})

describe('buy now', () => {
  it('settles and orders that SKU alone, with its count, and leaves the cart as it is', async () => {
    const { wrapper, router } = await mountCheckout('/place_order?sku_id=3&count=2')
    expect(api.settlement).toHaveBeenCalledWith({ sku_id: 3, count: 2 })
    expect(wrapper.find('.goods').text()).toContain('华为 Mate 60')
    expect(wrapper.find('.goods').text()).not.toContain('手机壳')
    expect(wrapper.get('[data-test=buy-now-hint]').text()).toContain('购物车里的商品保持不变')
    expect(wrapper.get('[data-test=payable]').text()).toBe('¥11998.00')
    await wrapper.get('[data-test=place-order]').trigger('click')
    await flushPromises()
    expect(api.placeOrder).toHaveBeenCalledWith(9, 2, { sku_id: 3, count: 2 })
    expect(router.currentRoute.value.fullPath).toContain('/order_success?order_id=20261206042930000000005&amount=11998.00')
  })

  it("shows the API's message when the SKU is no longer sold, with a way back to the product", async () => {
    api.settlement.mockRejectedValue(new ApiError(mapApiError(400, { sku_id: ['商品已下架。'], code: 'invalid' })))
    const { wrapper } = await mountCheckout('/place_order?sku_id=3&count=1')
    expect(wrapper.get('[role=alert]').text()).toContain('商品已下架。')
    expect(wrapper.get('[data-test=back-to-product]').attributes('href')).toBe('/detail/3')
    expect(wrapper.find('[data-test=place-order]').exists()).toBe(false)
  })

  it('says when the stock is short at ordering, and stays on the checkout', async () => {
    const short = mapApiError(400, { message: '“华为 Mate 60 雅丹黑 256GB”库存不足。', code: 'stock_short', sku_id: 3 })
    api.placeOrder.mockRejectedValue(new ApiError(short))
    const { wrapper, router } = await mountCheckout('/place_order?sku_id=3&count=2')
    await wrapper.get('[data-test=place-order]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-test=form-message]').text()).toContain('库存不足')
    expect(router.currentRoute.value.path).toBe('/place_order')
  })

  it('never turns a link with a bad sku_id or count into the cart checkout', async () => {
    for (const path of ['/place_order?sku_id=abc', '/place_order?sku_id=3&count=0', '/place_order?sku_id=3&count=-2']) {
      const { wrapper } = await mountCheckout(path)
      expect(wrapper.text()).toContain('购买链接无效')
      expect(wrapper.find('[data-test=place-order]').exists()).toBe(false)
    }
    expect(api.settlement).not.toHaveBeenCalled()
    expect(api.placeOrder).not.toHaveBeenCalled()
  })
})
