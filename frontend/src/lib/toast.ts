// A short message shown at the top of the page for a moment.
import { ref } from 'vue'

export const toastText = ref<string | null>(null)
let timer: ReturnType<typeof setTimeout> | undefined

export function toast(text: string, ms = 2200): void {
  toastText.value = text
  clearTimeout(timer)
  timer = setTimeout(() => (toastText.value = null), ms)
}
