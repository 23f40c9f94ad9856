// The header mini-cart: the lines of carts/simple/, reloaded after every cart change.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '@/api'
import type { MiniCartLine } from '@/api/types'

export const useCartStore = defineStore('cart', () => {
  const lines = ref<MiniCartLine[]>([])
  const failed = ref(false)
  const count = computed(() => lines.value.reduce((sum, line) => sum + line.count, 0))

  async function refresh(): Promise<void> {
    try {
      lines.value = await api.miniCart()
      failed.value = false
    } catch {
      failed.value = true
    }
  }

  return { lines, count, failed, refresh }
})
