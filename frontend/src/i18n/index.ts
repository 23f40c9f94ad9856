// vue-i18n setup: zh-hans by default, English on demand; the choice is kept in localStorage (and told to the server).
import { createI18n } from 'vue-i18n'
import { setApiLanguage } from '@/api/http'
import en from './en'
import zh from './zh-hans'

export type Locale = 'zh-hans' | 'en'
const KEY = 'locale'

function savedLocale(): Locale {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh-hans'
  } catch {
    return 'zh-hans'
  }
}

const initial = savedLocale()

export const i18n = createI18n({
  legacy: false,
  locale: initial,
  fallbackLocale: 'zh-hans',
  messages: { 'zh-hans': zh, en },
})

function apply(locale: Locale): void {
  setApiLanguage(locale)
  // Pages the server renders itself (the demo payment page, the admin) follow the same choice.
  document.cookie = `django_language=${locale}; path=/; max-age=31536000; samesite=lax`
  document.documentElement.lang = locale === 'en' ? 'en' : 'zh-Hans'
  document.title = i18n.global.t('site.name')
}

apply(initial)

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  try {
    localStorage.setItem(KEY, locale)
  } catch {
    // storage blocked: the choice lasts for this page only
  }
  apply(locale)
}
