// One function per API.md endpoint the storefront calls.
import type { BuyNow } from '@/lib/buyNow'
import { apiUrl, http } from './http'
import type {
  Address,
  AddressBook,
  AddressInput,
  Area,
  AreaWithSubs,
  Breadcrumb,
  CartLine,
  CustomerMessage,
  HomeData,
  LoginAnswer,
  MiniCartLine,
  Order,
  Page,
  ProfileChanges,
  RegisterAnswer,
  Settlement,
  SkuCard,
  SkuComment,
  SkuDetail,
  UncommentedGoods,
  UserProfile,
} from './types'

const user = { auth: 'required' } as const
const maybeUser = { auth: 'optional' } as const
const seg = encodeURIComponent

export type Provider = 'qq' | 'sina' | 'weixin'
export const PROVIDERS: readonly Provider[] = ['qq', 'sina', 'weixin']
export const isProvider = (value: unknown): value is Provider => PROVIDERS.includes(value as Provider)

/** What narrows a list (empty = no bound): a price range in yuan, a brand id, a category id (search). */
export interface ListFilters {
  price_min?: string
  price_max?: string
  brand?: string
  category?: string
}

export const api = {
  // verification codes
  imageCodeUrl: (uuid: string) => apiUrl(`image_codes/${uuid}/`),
  sendSms: (mobile: string, imageCodeId: string, text: string) =>
    http.get<{ message: string }>(`sms_codes/${seg(mobile)}/`, { query: { image_code_id: imageCodeId, text } }),

  // accounts
  usernameCount: (username: string) => http.get<{ username: string; count: number }>(`usernames/${seg(username)}/count/`),
  mobileCount: (mobile: string) => http.get<{ mobile: string; count: number }>(`mobiles/${seg(mobile)}/count/`),
  register: (data: { username: string; password: string; password2: string; mobile: string; sms_code: string; allow: string }) =>
    http.post<RegisterAnswer>('users/', data),
  /** An inactive account; the activation link goes to the address (registrations/email/activation/ opens it). */
  registerByEmail: (data: { username: string; email: string; password: string; password2: string; allow: string }) =>
    http.post<{ id: number; username: string; email: string }>('registrations/email/', data),
  activate: (token: string) => http.post<{ message: string; username: string }>('registrations/email/activation/', { token }),
  resendActivation: (email: string) => http.post<{ message: string }>('registrations/email/resend/', { email }),
  /** `captcha` (image_code_id + text) is needed after repeated failures (answer code `captcha_required`). */
  login: (username: string, password: string, captcha?: { image_code_id: string; text: string }) =>
    http.post<LoginAnswer>('authorizations/', { username, password, ...captcha }),
  /** A login code to the mobile's account (the answer is the same for a mobile without one, which gets no SMS). */
  sendLoginSms: (mobile: string, imageCodeId: string, text: string) =>
    http.post<{ message: string }>('authorizations/sms_codes/', { mobile, image_code_id: imageCodeId, text }),
  smsLogin: (mobile: string, smsCode: string) => http.post<LoginAnswer>('authorizations/sms/', { mobile, sms_code: smsCode }),
  logout: (refresh: string) => http.delete<null>('authorizations/', { refresh }),
  profile: () => http.get<UserProfile>('user/', user),
  updateProfile: (changes: ProfileChanges) => http.patch<UserProfile>('user/', changes, user),
  setEmail: (email: string) => http.put<{ id: number; email: string }>('email/', { email }, user),
  verifyEmail: (token: string) => http.get<{ message: string }>('emails/verification/', { query: { token } }),
  changePassword: (id: number, data: { old_password: string; password: string; password2: string }) =>
    http.put<{ message: string }>(`users/${id}/password/`, data, user),

  // forgotten password
  accountSmsToken: (account: string, imageCodeId: string, text: string) =>
    http.get<{ mobile: string; access_token: string }>(`accounts/${seg(account)}/sms/token/`, {
      query: { image_code_id: imageCodeId, text },
    }),
  sendSmsByToken: (accessToken: string) => http.get<{ message: string }>('sms_codes/', { query: { access_token: accessToken } }),
  accountPasswordToken: (account: string, smsCode: string) =>
    http.get<{ user_id: number; access_token: string }>(`accounts/${seg(account)}/password/token/`, { query: { sms_code: smsCode } }),
  resetPassword: (userId: number, data: { password: string; password2: string; access_token: string }) =>
    http.post<{ message: string }>(`users/${userId}/password/`, data),

  // third-party login
  oauthLoginUrl: (provider: Provider, next: string) =>
    http.get<{ login_url: string }>(`oauth/${provider}/authorization/`, { query: { next } }),
  oauthUser: (provider: Provider, code: string, state: string) =>
    http.get<LoginAnswer | { access_token: string }>(`oauth/${provider}/user/`, { query: { code, state } }),
  oauthBind: (provider: Provider, data: { mobile: string; password: string; sms_code: string; access_token: string }) =>
    http.post<LoginAnswer>(`oauth/${provider}/user/`, data),

  // areas and addresses
  provinces: () => http.get<Area[]>('areas/'),
  area: (id: number) => http.get<AreaWithSubs>(`areas/${id}/`),
  addresses: () => http.get<AddressBook>('addresses/', user),
  addAddress: (data: AddressInput) => http.post<Address>('addresses/', data, user),
  updateAddress: (id: number, data: AddressInput) => http.put<Address>(`addresses/${id}/`, data, user),
  deleteAddress: (id: number) => http.delete<null>(`addresses/${id}/`, undefined, user),
  setDefaultAddress: (id: number) => http.put<{ message: string }>(`addresses/${id}/status/`, {}, user),
  setAddressTitle: (id: number, title: string) => http.put<{ title: string }>(`addresses/${id}/title/`, { title }, user),

  // catalog
  home: () => http.get<HomeData>('home/'),
  category: (id: number) => http.get<Breadcrumb>(`categories/${id}/`),
  categorySkus: (
    id: number,
    page: number,
    pageSize: number,
    ordering: string,
    filters: ListFilters = {},
    signal?: AbortSignal,
  ) =>
    http.get<Page<SkuCard>>(`categories/${id}/skus/`, {
      query: { page, page_size: pageSize, ordering, ...filters },
      signal,
    }),
  hotSkus: (id: number) => http.get<SkuCard[]>(`categories/${id}/hotskus/`),
  visitCategory: (id: number) => http.post<null>(`categories/${id}/visits/`),
  countSkuView: (id: number) => http.post<null>(`skus/${id}/views/`),
  search: (text: string, page: number, pageSize: number, filters: ListFilters = {}, signal?: AbortSignal) =>
    http.get<Page<SkuCard>>('skus/search/', { query: { text, page, page_size: pageSize, ...filters }, signal }),
  sku: (id: number) => http.get<SkuDetail>(`skus/${id}/`),
  skuComments: (id: number) => http.get<SkuComment[]>(`skus/${id}/comments/`),
  browseHistory: () => http.get<SkuCard[]>('browse_histories/', user),
  addBrowseHistory: (skuId: number) => http.post<unknown>('browse_histories/', { sku_id: skuId }, user),
  favorites: () => http.get<SkuCard[] | Page<SkuCard>>('favorites/', user),
  addFavorite: (skuId: number) => http.post<unknown>('favorites/', { sku_id: skuId }, user),
  removeFavorite: (skuId: number) => http.delete<null>(`favorites/${skuId}/`, undefined, user),

  // cart (anonymous in a cookie, or the signed-in user's)
  cart: () => http.get<CartLine[]>('carts/', maybeUser),
  addToCart: (skuId: number, count: number) =>
    http.post<{ sku_id: number; count: number; selected: boolean }>('carts/', { sku_id: skuId, count, selected: true }, maybeUser),
  updateCart: (skuId: number, count: number, selected: boolean) =>
    http.put<{ sku_id: number; count: number; selected: boolean }>('carts/', { sku_id: skuId, count, selected }, maybeUser),
  removeFromCart: (skuId: number) => http.delete<null>('carts/', { sku_id: skuId }, maybeUser),
  selectAll: (selected: boolean) => http.put<{ message: string }>('carts/selection/', { selected }, maybeUser),
  miniCart: () => http.get<MiniCartLine[]>('carts/simple/', maybeUser),

  // customer messages (用户留言)
  messages: (page: number, pageSize: number) =>
    http.get<Page<CustomerMessage>>('messages/', { ...user, query: { page, page_size: pageSize } }),
  sendMessage: (form: FormData) => http.post<CustomerMessage>('messages/', form, user),
  deleteMessage: (id: number) => http.delete<null>(`messages/${id}/`, undefined, user),
  messageAttachment: (id: number) => http.get<Blob>(`messages/${id}/attachment/`, { ...user, blob: true }),
  // orders and payment
  /** The selected cart lines, or with `buyNow` that SKU alone ("buy now"; the cart is left as it is). */
  settlement: (buyNow?: BuyNow | null) => http.get<Settlement>('orders/settlement/', { ...user, query: { ...buyNow } }),
  placeOrder: (address: number, payMethod: number, buyNow?: BuyNow | null) =>
    http.post<{ order_id: string }>('orders/', { address, pay_method: payMethod, ...buyNow }, user),
  orders: (page: number, pageSize: number) => http.get<Page<Order>>('orders/', { ...user, query: { page, page_size: pageSize } }),
  order: (orderId: string) => http.get<Order & Record<string, unknown>>(`orders/${seg(orderId)}/`, user),
  cancelOrder: (orderId: string) => http.put<Order>(`orders/${seg(orderId)}/cancel/`, {}, user),
  hideOrder: (orderId: string) => http.delete<null>(`orders/${seg(orderId)}/`, undefined, user),
  confirmReceipt: (orderId: string) => http.put<unknown>(`orders/${seg(orderId)}/receipt/`, {}, user),
  uncommentedGoods: (orderId: string) => http.get<UncommentedGoods[]>(`orders/${seg(orderId)}/uncommentgoods/`, user),
  comment: (orderId: string, data: { sku: number; comment: string; score: number; is_anonymous: boolean }) =>
    http.post<unknown>(`orders/${seg(orderId)}/comments/`, { order: orderId, ...data }, user),
  payment: (orderId: string) => http.get<{ alipay_url: string }>(`orders/${seg(orderId)}/payment/`, user),
  paymentStatus: (queryString: string) => http.put<{ trade_id: string }>(`payment/status/?${queryString.replace(/^\?/, '')}`, {}, maybeUser),
}
