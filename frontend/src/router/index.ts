// Routes of the storefront (history mode); pages that need a signed-in user send visitors to /login?next=….
import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
import { useAuthStore } from '@/stores/auth'
import { setLoginRequiredHandler } from '@/api/http'

declare module 'vue-router' {
  interface RouteMeta {
    auth?: boolean
    bare?: boolean
  }
}

export const router = createRouter({
  history: createWebHistory('/'),
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  routes: [
    { path: '/', component: () => import('@/views/HomePage.vue') },
    // Links of the classic Meiduo pages (content and channels in the database use them).
    { path: '/index.html', redirect: '/' },
    { path: '/list.html', redirect: (to) => (/^\d+$/.test(String(to.query.cat)) ? `/list/${to.query.cat}` : '/') },
    { path: '/goods/:skuId(\\d+).html', redirect: (to) => `/detail/${to.params.skuId}` },
    { path: '/detail.html', redirect: (to) => (/^\d+$/.test(String(to.query.sku_id)) ? `/detail/${to.query.sku_id}` : '/') },
    { path: '/search.html', redirect: (to) => ({ path: '/search', query: { text: to.query.q ?? to.query.text ?? '' } }) },
    { path: '/cart.html', redirect: '/cart' },
    { path: '/login.html', redirect: (to) => ({ path: '/login', query: to.query }) },
    { path: '/register.html', redirect: '/register' },
    { path: '/list/:categoryId(\\d+)', component: () => import('@/views/ListPage.vue'), props: true },
    { path: '/detail/:skuId(\\d+)', component: () => import('@/views/DetailPage.vue'), props: true },
    { path: '/search', component: () => import('@/views/SearchPage.vue') },
    { path: '/cart', component: () => import('@/views/CartPage.vue') },
    { path: '/login', component: () => import('@/views/LoginPage.vue') },
    { path: '/register', component: () => import('@/views/RegisterPage.vue') },
    { path: '/register/email', component: () => import('@/views/RegisterEmailPage.vue') },
    { path: '/activate', component: () => import('@/views/ActivatePage.vue') },
    { path: '/find_password', component: () => import('@/views/FindPasswordPage.vue') },
    { path: '/oauth_callback.html', component: () => import('@/views/OAuthCallbackPage.vue') },
    { path: '/oauth/:provider(qq|sina|weixin)/callback', component: () => import('@/views/OAuthCallbackPage.vue') },
    { path: '/success_verify_email.html', component: () => import('@/views/VerifyEmailPage.vue') },
    {
      path: '/user',
      component: () => import('@/views/user/UserLayout.vue'),
      meta: { auth: true },
      children: [
        { path: '', redirect: '/user/info' },
        { path: 'info', component: () => import('@/views/user/UserInfoPage.vue') },
        { path: 'addresses', component: () => import('@/views/user/AddressesPage.vue') },
        { path: 'orders', component: () => import('@/views/user/OrdersPage.vue') },
        { path: 'messages', component: () => import('@/views/user/MessagesPage.vue') },
        { path: 'password', component: () => import('@/views/user/PasswordPage.vue') },
        { path: 'history', component: () => import('@/views/user/HistoryPage.vue') },
        { path: 'favorites', component: () => import('@/views/user/FavoritesPage.vue') },
      ],
    },
    { path: '/place_order', component: () => import('@/views/PlaceOrderPage.vue'), meta: { auth: true } },
    { path: '/order_success', component: () => import('@/views/OrderSuccessPage.vue'), meta: { auth: true } },
    { path: '/pay/:orderId', component: () => import('@/views/PayPage.vue'), props: true, meta: { auth: true } },
    { path: '/pay_success.html', component: () => import('@/views/PaySuccessPage.vue') },
    { path: '/:rest(.*)*', component: () => import('@/views/NotFoundPage.vue') },
  ],
})

export function loginRoute(next: string) {
  return { path: '/login', query: { next } }
}

export { safeNext } from '@/lib/next'

router.beforeEach((to: RouteLocationNormalized) => {
  if (to.matched.some((r) => r.meta.auth) && !useAuthStore().signedIn) return loginRoute(to.fullPath)
  return true
})

setLoginRequiredHandler(() => {
  const current = router.currentRoute.value
  if (current.path !== '/login') void router.push(loginRoute(current.fullPath))
})
