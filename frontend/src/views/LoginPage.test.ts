// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { ApiError } from '@/api/http'
import { accessToken, endSession, initSession } from '@/api/session'
import { i18n } from '@/i18n'
import { mapApiError } from '@/lib/errors'
import { useAuthStore } from '@/stores/auth'
import LoginPage from './LoginPage.vue'

const api = vi.hoisted(() => ({ login: vi.fn(), smsLogin: vi.fn(), logout: vi.fn(), miniCart: vi.fn(), imageCodeUrl: vi.fn() }))
vi.mock('@/api', () => ({ api }))

/** A JWT whose `exp` is `seconds` from now (the storefront reads only its payload). */
function jwt(seconds: number, id = 'a'): string {
  const payload = btoa(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + seconds, jti: id }))
  return `header.${payload.replace(/=+$/, '')}.signature`
}

function routerAt(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<p>home</p>' } },
      { path: '/login', component: LoginPage },
      { path: '/user/orders', component: { template: '<p>orders</p>' } },
    ],
  })
  void router.push(path)
  return router
}

beforeEach(() => {
  i18n.global.locale.value = 'zh-hans'
  setActivePinia(createPinia())
  vi.clearAllMocks()
  api.miniCart.mockResolvedValue([])
  api.imageCodeUrl.mockReturnValue('/api/v1/image_codes/x/')
})
afterEach(() => {
  endSession()
  vi.unstubAllGlobals()
})

async function mountLogin(path = '/login') {
  const router = routerAt(path)
  await router.isReady()
  const wrapper = mount(LoginPage, { global: { plugins: [i18n, router] } })
  return { wrapper, router }
}

describe('login page', () => {
  it('signs in, keeps the session in the auth store and goes where the shopper was going', async () => {
    api.login.mockResolvedValue({ token: jwt(1800), refresh: jwt(86400, 'r'), user_id: 5, username: 'lihua2026' })
    const { wrapper, router } = await mountLogin('/login?next=/user/orders')
    await wrapper.find('input[name=username]').setValue('lihua2026')
    await wrapper.find('input[type=password]').setValue('Meiduo-2026!')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(api.login).toHaveBeenCalledWith('lihua2026', 'Meiduo-2026!', undefined)
    const auth = useAuthStore()
    expect([auth.signedIn, auth.username, auth.userId]).toEqual([true, 'lihua2026', 5])
    expect(router.currentRoute.value.fullPath).toBe('/user/orders')
  })

  it('shows the image captcha once the API asks for it, and stays signed out', async () => {
    const asked = mapApiError(400, { text: ['请输入图片验证码'], code: 'captcha_required' })
    api.login.mockRejectedValue(new ApiError(asked))
    const { wrapper } = await mountLogin()
    expect(wrapper.find('[data-test=captcha]').exists()).toBe(false)
    await wrapper.find('input[name=username]').setValue('lihua2026')
    await wrapper.find('input[type=password]').setValue('wrong-password')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-test=captcha]').exists()).toBe(true)
    expect(useAuthStore().signedIn).toBe(false)
  })

  it('says an account registered by e-mail is not active yet and links to sending the mail again', async () => {
    const waiting = mapApiError(400, { message: '账号尚未激活：请打开激活邮件中的链接，或重新发送激活邮件。', code: 'not_activated' })
    api.login.mockRejectedValue(new ApiError(waiting))
    const { wrapper } = await mountLogin()
    await wrapper.find('input[name=username]').setValue('alice_hk')
    await wrapper.find('input[type=password]').setValue('Meiduo-2026!')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-test=form-message]').text()).toContain('账号尚未激活')
    expect(wrapper.find('[data-test=resend-activation-link]').attributes('href')).toBe('/activate')
  })

  it('signs in on the SMS tab with the mobile and the code, checking both first', async () => {
    api.smsLogin.mockResolvedValue({ token: jwt(1800), refresh: jwt(86400, 'r'), user_id: 7, username: 'sun_qi' })
    const { wrapper, router } = await mountLogin('/login?mode=sms&next=/user/orders')
    expect(wrapper.find('input[type=password]').exists()).toBe(false)
    await wrapper.find('input[name=mobile]').setValue('1360013600')
    await wrapper.find('input[name=sms_code]').setValue('12345')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.findAll('.field-error').map((e) => e.text())).toEqual(['请输入正确的手机号', '请填写短信验证码'])
    expect(api.smsLogin).not.toHaveBeenCalled()
    await wrapper.find('input[name=mobile]').setValue('13600136002')
    await wrapper.find('input[name=sms_code]').setValue('123456')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(api.smsLogin).toHaveBeenCalledWith('13600136002', '123456')
    expect(useAuthStore().username).toBe('sun_qi')
    expect(router.currentRoute.value.fullPath).toBe('/user/orders')
  })
})

describe('session renewal', () => {
  it('renews an access token about to expire before using it, and keeps the rotated refresh token', async () => {
    sessionStorage.setItem('token', jwt(10))
    sessionStorage.setItem('refresh', jwt(86400, 'old'))
    sessionStorage.setItem('user_id', '5')
    sessionStorage.setItem('username', 'lihua2026')
    initSession()
    const fresh = { token: jwt(1800, 'new'), refresh: jwt(86400, 'rotated') }
    const answer = () => new Response(JSON.stringify(fresh), { headers: { 'Content-Type': 'application/json' } })
    const fetch = vi.fn<(url: RequestInfo | URL) => Promise<Response>>(async () => answer())
    vi.stubGlobal('fetch', fetch)
    expect(await accessToken()).toBe(fresh.token)
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(String(fetch.mock.calls[0]![0])).toContain('authorizations/refresh/')
    expect(useAuthStore().session?.refresh).toBe(fresh.refresh)
  })

  it('ends the session when the refresh token is refused', async () => {
    sessionStorage.setItem('token', jwt(10))
    sessionStorage.setItem('refresh', jwt(86400, 'revoked'))
    sessionStorage.setItem('user_id', '5')
    sessionStorage.setItem('username', 'lihua2026')
    initSession()
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{"detail":"x","code":"token_not_valid"}', { status: 401 })))
    expect(await accessToken()).toBeNull()
    expect(useAuthStore().signedIn).toBe(false)
  })
})
