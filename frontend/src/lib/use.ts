// Composables shared by the pages: a loader with loading/error states, a countdown, form errors.
import { onBeforeUnmount, reactive, ref, shallowRef } from 'vue'
import { ApiError, isCancelled } from '@/api/http'
import { mapApiError, type ApiErrorInfo } from './errors'

export function toErrorInfo(error: unknown): ApiErrorInfo {
  if (error instanceof ApiError) return error.info
  return mapApiError(0, null)
}

/**
 * Load data for a page: `data`, `loading`, `error` (an ApiErrorInfo) and `load()` to run (again).
 * The fetcher gets an AbortSignal: a new load (another page, ordering or search) and leaving the page cancel
 * the request still running, so a stale answer neither arrives late nor keeps the connection busy.
 */
export function useLoader<T>(fetcher: (signal: AbortSignal) => Promise<T>) {
  const data = shallowRef<T | null>(null)
  const loading = ref(false)
  const error = shallowRef<ApiErrorInfo | null>(null)
  let generation = 0
  let running: AbortController | null = null

  async function load(): Promise<void> {
    const mine = ++generation
    running?.abort()
    const controller = (running = new AbortController())
    loading.value = true
    error.value = null
    try {
      const value = await fetcher(controller.signal)
      if (mine === generation) data.value = value
    } catch (e) {
      if (mine === generation && !isCancelled(e)) error.value = toErrorInfo(e)
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  onBeforeUnmount(() => running?.abort())
  return { data, loading, error, load }
}

/** A seconds countdown (SMS button: 60 s; 429: Retry-After). */
export function useCountdown() {
  const left = ref(0)
  let timer: ReturnType<typeof setInterval> | undefined

  function start(seconds: number): void {
    clearInterval(timer)
    left.value = Math.max(0, Math.ceil(seconds))
    if (left.value === 0) return
    timer = setInterval(() => {
      left.value -= 1
      if (left.value <= 0) clearInterval(timer)
    }, 1000)
  }

  onBeforeUnmount(() => clearInterval(timer))
  return { left, start }
}

/** Field errors and one form message, filled from client checks or an API error. */
export function useFormErrors<F extends string>(fields: readonly F[]) {
  const errors = reactive<Record<string, string>>({})
  const message = ref<string | null>(null)
  const retryIn = useCountdown()

  function clear(): void {
    for (const key of Object.keys(errors)) delete errors[key]
    message.value = null
  }

  function set(field: F, text: string): void {
    errors[field] = text
  }

  /** Show an API error: field messages next to their fields, everything else as the form message. */
  function fromApi(error: unknown, busyText: string): void {
    const info = toErrorInfo(error)
    const known = fields as readonly string[]
    for (const [key, text] of Object.entries(info.fields)) {
      if (known.includes(key)) errors[key] = text
      else message.value ??= text
    }
    if (info.message) message.value = info.message
    if (info.busy && !info.message) message.value = busyText
    if (info.retryAfter) retryIn.start(info.retryAfter)
  }

  return { errors, message, set, clear, fromApi, retryIn: retryIn.left }
}
