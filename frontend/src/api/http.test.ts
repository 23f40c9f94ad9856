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
