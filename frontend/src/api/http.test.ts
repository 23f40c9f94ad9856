import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, http, isCancelled } from './http'

/** A fetch that never answers by itself, only rejects when its signal aborts (as the browser's does). */
function hangingFetch() {
  return vi.fn(
    (_url: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
      }),
  )
}

afterEach(() => vi.unstubAllGlobals())

describe('request time limit and cancellation', () => {
  it('gives up on a request that does not answer in time, with code timeout', async () => {
    vi.stubGlobal('fetch', hangingFetch())
    const error = await http.get('home/', { timeoutMs: 20 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).info.code).toBe('timeout')
    expect((error as ApiError).info.busy).toBe(true)
    expect(isCancelled(error)).toBe(false)
  })

  it('cancels a request when its caller aborts, with code cancelled', async () => {
    vi.stubGlobal('fetch', hangingFetch())
    const controller = new AbortController()
    const pending = http.get('skus/search/', { query: { text: '手机' }, signal: controller.signal }).catch((e: unknown) => e)
    controller.abort()
    const error = await pending
    expect(isCancelled(error)).toBe(true)
  })

  it('passes an answer through untouched when it comes in time', async () => {
    const answer = new Response(JSON.stringify({ ok: true }), { headers: { 'Content-Type': 'application/json' } })
    vi.stubGlobal('fetch', vi.fn(async () => answer))
    await expect(http.get('home/', { timeoutMs: 1000 })).resolves.toEqual({ ok: true })
  })
})

describe('files', () => {
  it('sends a FormData body as it is, leaving its multipart Content-Type to the browser', async () => {
    const fetchMock = vi.fn(async () => new Response(null, { status: 204 }))
    vi.stubGlobal('fetch', fetchMock)
    const form = new FormData()
    form.append('subject', '快递太慢')
    await http.post('messages/', form)
    const init = (fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1]
    expect(init.body).toBe(form)
    expect((init.headers as Record<string, string>)['Content-Type']).toBeUndefined()
  })

  it('reads a download as a Blob, and an error answer as JSON', async () => {
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46])
    vi.stubGlobal('fetch', vi.fn(async () => new Response(bytes, { headers: { 'Content-Type': 'application/pdf' } })))
    const blob = await http.get<Blob>('messages/1/attachment/', { blob: true })
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes)
    const missing = new Response(JSON.stringify({ detail: 'Not found.', code: 'not_found' }), {
      status: 404,
      headers: { 'Content-Type': 'application/json' },
    })
    vi.stubGlobal('fetch', vi.fn(async () => missing))
    const error = await http.get('messages/2/attachment/', { blob: true }).catch((e: unknown) => e)
    expect((error as ApiError).info.code).toBe('not_found')
  })
})
