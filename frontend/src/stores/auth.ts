// The one home of the session: who is signed in (set by src/api/session.ts from browser storage) and the
// login/logout actions.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '@/api'
import { endSession, startSession } from '@/api/session'
import type { LoginAnswer } from '@/api/types'
import type { Session } from '@/lib/tokens'
import { useCartStore } from './cart'

export const useAuthStore = defineStore('auth', () => {
  const session = ref<Session | null>(null)
  const remember = ref(false)
  const signedIn = computed(() => session.value !== null)
  const username = computed(() => session.value?.username ?? '')
  const userId = computed(() => session.value?.userId ?? 0)

  function signIn(answer: LoginAnswer, remember: boolean): void {
    startSession({ token: answer.token, refresh: answer.refresh, userId: answer.user_id, username: answer.username }, remember)
    void useCartStore().refresh()
  }

  /** Sign out; `revoked` when the server already ended every session (a password change), so there is nothing to tell it. */
  async function signOut(revoked = false): Promise<void> {
    const refresh = revoked ? undefined : session.value?.refresh
    endSession()
    if (refresh) {
      try {
        await api.logout(refresh)
      } catch {
        // The local session is gone either way; the refresh token expires on its own.
      }
    }
    void useCartStore().refresh()
  }

  return { session, remember, signedIn, username, userId, signIn, signOut }
})
