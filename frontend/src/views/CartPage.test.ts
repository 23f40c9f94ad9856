// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { ApiError } from '@/api/http'
import { i18n } from '@/i18n'
import { mapApiError } from '@/lib/errors'
import CartPage from './CartPage.vue'

const api = vi.hoisted(() => ({
  cart: vi.fn(),
  updateCart: vi.fn(),
  removeFromCart: vi.fn(),
  selectAll: vi.fn(),
  miniCart: vi.fn(),
}))
vi.mock('@/api', () => ({ api }))

const line = (id: number, price: string, count: number, selected: boolean) => ({
  id,
  name: `商品${id}`,
  default_image_url: null,
  price,
  count,
  selected,
})

beforeEach(() => {
  i18n.global.locale.value = 'zh-hans'
  setActivePinia(createPinia())
  vi.clearAllMocks()
  api.miniCart.mockResolvedValue([])
  api.cart.mockResolvedValue([line(1, '10.00', 2, true), line(2, '5.50', 1, false)])
})

async function mountCart() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/cart', component: CartPage },
      { path: '/detail/:id', component: { template: '<p>detail</p>' } },
      { path: '/place_order', component: { template: '<p>order</p>' } },
    ],
  })
  await router.push('/cart')
  await router.isReady()
  const wrapper = mount(CartPage, { global: { plugins: [i18n, router] } })
  await flushPromises()
  return wrapper
}

describe('cart page', () => {
  it('totals only the selected lines, and selecting a line changes the total', async () => {
    api.updateCart.mockImplementation(async (id: number, count: number, selected: boolean) => ({ id, count, selected }))
    const wrapper = await mountCart()
    expect(wrapper.findAll('[data-test=cart-line]')).toHaveLength(2)
    expect(wrapper.get('[data-test=cart-total]').text()).toBe('¥20.00')
    await wrapper.findAll('.line-check')[1]!.setValue(true)
    await flushPromises()
    expect(api.updateCart).toHaveBeenCalledWith(2, 1, true)
    expect(wrapper.get('[data-test=cart-total]').text()).toBe('¥25.50')
  })

  it('puts a line back as it was when the server refuses the change (too little stock)', async () => {
    const short = mapApiError(400, { message: '“商品1”库存仅剩 2 件。', code: 'stock_short', sku_id: 1 })
    api.updateCart.mockRejectedValue(new ApiError(short))
    const wrapper = await mountCart()
    await wrapper.findAll('.line-check')[1]!.setValue(true)
    await flushPromises()
    expect(wrapper.get('[data-test=cart-total]').text()).toBe('¥20.00')
    expect((wrapper.findAll('.line-check')[1]!.element as HTMLInputElement).checked).toBe(false)
  })

  it('selects every line at once', async () => {
    api.selectAll.mockResolvedValue({})
    const wrapper = await mountCart()
    await wrapper.get('[data-test=select-all]').setValue(true)
    await flushPromises()
    expect(api.selectAll).toHaveBeenCalledWith(true)
    expect(wrapper.get('[data-test=cart-total]').text()).toBe('¥25.50')
  })
})
