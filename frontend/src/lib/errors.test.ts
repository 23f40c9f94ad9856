import { describe, expect, it } from 'vitest'
import { mapApiError, messageOf, parseRetryAfter } from './errors'

describe('mapApiError', () => {
  it('keeps the machine-readable code apart from the messages', () => {
    const info = mapApiError(400, { text: ['请输入图片验证码'], code: 'captcha_required' })
    expect(info.code).toBe('captcha_required')
    expect(info.fields).toEqual({ text: '请输入图片验证码' })
    expect(info.message).toBeNull()
  })

  it('never shows the per-field codes as a message', () => {
    const info = mapApiError(400, { password: ['该字段是必填项。'], code: 'invalid', codes: { password: ['required'] } }, null, ['password'])
    expect(info.code).toBe('invalid')
    expect(info.fields).toEqual({ password: '该字段是必填项。' })
    expect(info.message).toBeNull()
  })

  it('reads an outage from its code', () => {
    expect(mapApiError(503, { message: '服务暂时不可用', code: 'unavailable' }).busy).toBe(true)
  })

  it('puts field errors next to their fields', () => {
    const info = mapApiError(400, { username: ['用户名已存在'], mobile: ['手机号格式错误', 'x'] })
    expect(info.fields).toEqual({ username: '用户名已存在', mobile: '手机号格式错误' })
    expect(info.message).toBeNull()
  })

  it('makes non_field_errors, message and detail a form message', () => {
    expect(mapApiError(400, { non_field_errors: ['两次密码不一致'] }).message).toBe('两次密码不一致')
    expect(mapApiError(400, { message: '库存不足' }).message).toBe('库存不足')
    expect(mapApiError(404, { detail: 'Not found.' }).message).toBe('Not found.')
  })

  it('turns errors of fields the form does not show into the form message', () => {
    const info = mapApiError(400, { access_token: ['expired'], password: ['too short'] }, null, ['password'])
    expect(info.fields).toEqual({ password: 'too short' })
    expect(info.message).toBe('expired')
  })

  it('reads Retry-After on 429 and flags 503 and network failures as busy', () => {
    const limited = mapApiError(429, { message: '发送短信过于频繁' }, '42')
    expect(limited.retryAfter).toBe(42)
    expect(limited.message).toBe('发送短信过于频繁')
    expect(mapApiError(503, { message: 'down' }).busy).toBe(true)
    expect(mapApiError(0, null).busy).toBe(true)
    expect(mapApiError(400, {}).busy).toBe(false)
  })

  it('accepts nested and plain-text bodies', () => {
    expect(mapApiError(400, { address: { city_id: ['bad'] } }).fields).toEqual({ address: 'bad' })
    expect(mapApiError(500, 'oops').message).toBe('oops')
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('60')).toBe(60)
    const now = Date.parse('2025-01-01T00:00:00Z')
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30)
    expect(parseRetryAfter(null)).toBeNull()
    expect(parseRetryAfter('soon')).toBeNull()
  })
})

describe('messageOf', () => {
  it('gives the form message, else the first field message, else null', () => {
    expect(messageOf({ message: '请稍后再试', fields: { sku_id: '商品不存在。' } })).toBe('请稍后再试')
    expect(messageOf({ message: null, fields: { sku_id: '商品已下架。', count: '数量无效' } })).toBe('商品已下架。')
    expect(messageOf({ message: null, fields: {} })).toBeNull()
  })
})
