// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/http'
import { i18n } from '@/i18n'
import { mapApiError } from '@/lib/errors'
import AddressForm from './AddressForm.vue'

const api = vi.hoisted(() => ({
  provinces: vi.fn(),
  area: vi.fn(),
  addAddress: vi.fn(),
  updateAddress: vi.fn(),
}))
vi.mock('@/api', () => ({ api }))

const AREAS: Record<number, { id: number; name: string }[]> = {
  44: [{ id: 4403, name: '深圳市' }],
  4403: [{ id: 440305, name: '南山区' }],
}

beforeEach(() => {
  i18n.global.locale.value = 'zh-hans'
  vi.clearAllMocks()
  api.provinces.mockResolvedValue([{ id: 44, name: '广东省' }])
  api.area.mockImplementation(async (id: number) => ({ id, name: '', subs: AREAS[id] ?? [] }))
})

async function mountForm() {
  const wrapper = mount(AddressForm, { global: { plugins: [i18n] } })
  await flushPromises()
  return wrapper
}

async function fillIn(wrapper: Awaited<ReturnType<typeof mountForm>>, mobile = '13800138000') {
  await wrapper.find('#addr-receiver').setValue('张三')
  await wrapper.find('#addr-mobile').setValue(mobile)
  await wrapper.find('select[name=province_id]').setValue('44')
  await flushPromises()
  await wrapper.find('select[name=city_id]').setValue('4403')
  await flushPromises()
  await wrapper.find('select[name=district_id]').setValue('440305')
  await wrapper.find('#addr-place').setValue('科技园 1 号')
}

describe('AddressForm', () => {
  it('says what is missing next to each field and sends nothing', async () => {
    const wrapper = await mountForm()
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.text()).toContain('请输入正确的手机号')
    expect(wrapper.findAll('.invalid').length).toBeGreaterThanOrEqual(3)
    expect(api.addAddress).not.toHaveBeenCalled()
  })

  it('saves a complete address, the receiver as its label when none is given', async () => {
    api.addAddress.mockImplementation(async (data: object) => ({ id: 7, ...data }))
    const wrapper = await mountForm()
    await fillIn(wrapper)
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(api.addAddress).toHaveBeenCalledWith({
      title: '张三',
      receiver: '张三',
      province_id: 44,
      city_id: 4403,
      district_id: 440305,
      place: '科技园 1 号',
      mobile: '13800138000',
      tel: '',
      email: '',
    })
    expect(wrapper.emitted('saved')?.[0]?.[0]).toMatchObject({ id: 7, receiver: '张三' })
  })

  it("shows the server's refusal next to the field it names", async () => {
    const refusal = mapApiError(400, { district_id: ['所选区县不属于所选城市'], code: 'invalid' })
    api.addAddress.mockRejectedValue(new ApiError(refusal))
    const wrapper = await mountForm()
    await fillIn(wrapper)
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.text()).toContain('所选区县不属于所选城市')
    expect(wrapper.emitted('saved')).toBeUndefined()
  })
})
