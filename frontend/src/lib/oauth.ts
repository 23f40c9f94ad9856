// Third-party login: remember the provider and the page to return to across the provider's redirect.
import { api, isProvider, type Provider } from '@/api'

const KEY = 'oauth'

export async function startOAuth(provider: Provider, next: string): Promise<void> {
  const { login_url } = await api.oauthLoginUrl(provider, next)
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ provider, next }))
  } catch {
    // storage blocked: the callback falls back to its `provider` query parameter
  }
  window.location.assign(login_url)
}

export function pendingOAuth(): { provider: Provider | null; next: string } {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as { provider?: string; next?: string } | null
    const provider = isProvider(saved?.provider) ? saved.provider : null
    return { provider, next: saved?.next ?? '/' }
  } catch {
    return { provider: null, next: '/' }
  }
}

export function clearOAuth(): void {
  try {
    sessionStorage.removeItem(KEY)
  } catch {
    // nothing to clear
  }
}
