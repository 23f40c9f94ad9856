// Storefront entry: session, i18n, Pinia, router, then mount.
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import { initSession } from '@/api/session'
import { i18n } from '@/i18n'
import { router } from '@/router'
import App from './App.vue'
import './styles/main.css'

initSession()
createApp(App).use(createPinia()).use(i18n).use(router).mount('#app')
