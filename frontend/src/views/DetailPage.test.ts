// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n } from '@/i18n'
import { useAuthStore } from '@/stores/auth'
import DetailPage from './DetailPage.vue'

const api = vi.hoisted(() => ({
  sku: vi.fn(),
  skuComments: vi.fn(),
  addToCart: vi.fn(),
  miniCart: vi.fn(),
  addBrowseHistory: vi.fn(),
  countSkuView: vi.fn(),
  favorites: vi.fn(),
}))
vi.mock('@/api', () => ({ api }))

// 华为 Mate 60 in 2 colours × 2 memories; 白沙银 512GB is not sold (no SKU).
const SPECS = [
  {
    id: 1,
    name: '颜色',
    options: [
      { id: 11, value: '雅丹黑', sku_id: 3 },
      { id: 12, value: '白沙银', sku_id: 5 },
    ],
  },
  {
    id: 2,
    name: '内存',
    options: [
      { id: 21, value: '256GB', sku_id: 3 },
      { id: 22, value: '512GB', sku_id: null },
    ],
  },
]

beforeEach(() => {
  i18n.global.locale.value = 'zh-hans'
  setActivePinia(createPinia())
  vi.clearAllMocks()
  api.skuComments.mockResolvedValue([])
  api.miniCart.mockResolvedValue([])
  api.addToCart.mockResolvedValue({})
  api.countSkuView.mockResolvedValue(null)
  api.addBrowseHistory.mockResolvedValue({})
  api.favorites.mockResolvedValue([])
  api.sku.mockResolvedValue({
    id: 3,
    name: '华为 Mate 60 雅丹黑 256GB',
    price: '5999.00',
    default_image_url: null,
    comments: 0,
    caption: '',
    market_price: '6999.00',
    stock: 8,
    sales: 0,
    images: [],
    breadcrumb: null,
    spu: { id: 1, name: '华为 Mate 60', desc_detail: '', desc_pack: '', desc_service: '' },
    specs: SPECS,
  })
})

async function mountDetail() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/detail/:skuId(\\d+)', component: DetailPage, props: true },
      { path: '/cart', component: { template: '<p>cart</p>' } },
      { path: '/login', component: { template: '<p>login</p>' } },
      { path: '/place_order', component: { template: '<p>checkout</p>' } },
    ],
  })
  await router.push('/detail/3')
  await router.isReady()
  const wrapper = mount(DetailPage, { props: { skuId: '3' }, global: { plugins: [i18n, router] } })
  await flushPromises()
  return { wrapper, router }
}

describe('spec picker', () => {
  it("marks the SKU's own options, disables a combination that is not sold, and switches to a sibling", async () => {
    const { wrapper, router } = await mountDetail()
    const options = wrapper.findAll('[data-test=spec-option]')
    expect(options.map((o) => o.text())).toEqual(['雅丹黑', '白沙银', '256GB', '512GB'])
    expect(options.map((o) => o.attributes('aria-pressed'))).toEqual(['true', 'false', 'true', 'false'])
    expect(options[3]!.attributes('disabled')).toBeDefined()
    await options[1]!.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/detail/5')
  })
})

describe('views', () => {
  it('counts one view of the product page, signed in or not', async () => {
    await mountDetail()
    expect(api.countSkuView).toHaveBeenCalledTimes(1)
    expect(api.countSkuView).toHaveBeenCalledWith(3)
    expect(api.addBrowseHistory).not.toHaveBeenCalled() // a visitor has no history
  })
})

describe('buy now', () => {
  const signIn = () => {
    useAuthStore().session = { token: 'header.e30.signature', refresh: 'header.e30.signature', userId: 5, username: 'lihua2026' }
  }

  it('takes a signed-in shopper to the checkout of this SKU alone, with the chosen quantity, leaving the cart', async () => {
    signIn()
    const { wrapper, router } = await mountDetail()
    await wrapper.get('.qty button[aria-label="+"]').trigger('click')
    await wrapper.get('[data-test=buy-now]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/place_order?sku_id=3&count=2')
    expect(api.addToCart).not.toHaveBeenCalled()
  })

  it('sends a visitor to sign in first, coming back to the product', async () => {
    const { wrapper, router } = await mountDetail()
    await wrapper.get('[data-test=buy-now]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/login')
    expect(router.currentRoute.value.query.next).toBe('/detail/3')
  })

  it('cannot buy a sold-out product, as it cannot be added to the cart', async () => {
    signIn()
    api.sku.mockResolvedValue({ ...(await api.sku()), stock: 0 })
    const { wrapper, router } = await mountDetail()
    expect(wrapper.get('[data-test=buy-now]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-test=add-to-cart]').attributes('disabled')).toBeDefined()
    await wrapper.get('[data-test=buy-now]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/detail/3')
  })
})
