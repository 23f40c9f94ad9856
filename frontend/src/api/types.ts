// Shapes of the API.md answers the storefront reads.
import type { Spec } from '@/lib/specs'

export interface Page<T> {
  count: number
  next: string | null
  previous: string | null
  results: T[]
}

export interface SkuCard {
  id: number
  name: string
  price: string
  default_image_url: string | null
  comments: number
}

export interface Crumb {
  id: number
  name: string
  url?: string
}

export interface Breadcrumb {
  cat1: Crumb
  cat2: Crumb
  cat3: Crumb
}

export interface SkuDetail extends SkuCard {
  caption: string
  market_price: string
  stock: number
  sales: number
  images: (string | null)[]
  breadcrumb: Breadcrumb | null
  spu: { id: number; name: string; desc_detail: string; desc_pack: string; desc_service: string }
  specs: Spec[]
}

export interface SkuComment {
  username: string
  comment: string
  score: number
  create_time: string
}

export interface HomeCategory {
  id: number
  name: string
  sub_cats?: HomeCategory[]
}

export interface HomeChannel {
  id: number
  name: string
  url: string
}

export interface HomeGroup {
  channels: HomeChannel[]
  sub_cats: HomeCategory[]
}

export interface ContentItem {
  id: number
  title: string
  url: string
  image_url: string | null
  text: string
  sequence: number
}

export interface HomeData {
  categories: Record<string, HomeGroup>
  contents: Record<string, ContentItem[]>
}

export interface LoginAnswer {
  token: string
  refresh: string
  user_id: number
  username: string
}

export interface RegisterAnswer {
  id: number
  username: string
  mobile: string
  token: string
  refresh: string
}

export interface UserProfile {
  id: number
  username: string
  mobile: string
  email: string
  email_active: boolean
}

export interface Area {
  id: number
  name: string
}

export interface AreaWithSubs extends Area {
  subs: Area[]
}

export interface Address {
  id: number
  title: string
  receiver: string
  province: string
  city: string
  district: string
  province_id: number
  city_id: number
  district_id: number
  place: string
  mobile: string
  tel: string | null
  email: string | null
}

export interface AddressBook {
  user_id: number
  default_address_id: number | null
  limit: number
  addresses: Address[]
}

export type AddressInput = Omit<Address, 'id' | 'province' | 'city' | 'district'>

export interface CartLine {
  id: number
  name: string
  default_image_url: string | null
  price: string
  count: number
  selected: boolean
}

export interface MiniCartLine {
  id: number
  name: string
  count: number
  default_image_url: string | null
}

export interface OrderSku {
  id: number
  name: string
  default_image_url: string | null
  price: string
  count: number
}

export interface Settlement {
  freight: string
  skus: OrderSku[]
}

/** The refund of a cancelled paid order (null otherwise). */
export interface OrderRefund {
  status: 'refunding' | 'refunded'
  amount: string
}

export interface Order {
  order_id: string
  create_time: string
  total_count: number
  total_amount: string
  freight: string
  pay_method: number
  status: number
  skus: OrderSku[]
  refund?: OrderRefund | null
}

export interface UncommentedGoods {
  sku: { id: number; name: string; default_image_url: string | null }
  price: string
  count: number
}
