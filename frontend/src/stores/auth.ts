// Who is signed in (from the stored session) and the login/logout actions.
import { defineStore } from 'pinia'
import { computed } from 'vue'
import { api } from '@/api'
import { auth, endSession, startSession } from '@/api/session'
import type { LoginAnswer } from '@/api/types'
import { useCartStore } from './cart'

export const useAuthStore = defineStore('auth', () => {
  const signedIn = computed(() => auth.session !== null)
  const username = computed(() => auth.session?.username ?? '')
  const userId = computed(() => auth.session?.userId ?? 0)

  function signIn(answer: LoginAnswer, remember: boolean): void {
    startSession({ token: answer.token, refresh: answer.refresh, userId: answer.user_id, username: answer.username }, remember)
    void useCartStore().refresh()
  }

  /** Sign out; `revoked` when the server already ended every session (a password change), so there is nothing to tell it. */
  async function signOut(revoked = false): Promise<void> {
    const refresh = revoked ? undefined : auth.session?.refresh
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

  return { signedIn, username, userId, signIn, signOut }
})
