// Storefront entry: Pinia, the session (into the auth store), i18n, router, then mount.
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import { initSession } from '@/api/session'
import { i18n } from '@/i18n'
import { router } from '@/router'
import App from './App.vue'
import './styles/main.css'

const app = createApp(App).use(createPinia())
initSession() // after Pinia: the session lives in the auth store
app.use(i18n).use(router).mount('#app')
