// Shapes of the API answers the storefront reads: aliases of the types generated from the server's OpenAPI schema
// (src/api/schema.d.ts, made by `scripts/frontend.sh types` from /api/schema/), so that a server change that
// breaks a page breaks the type check (`make lint` checks the generated files are current).
import type { components } from './schema'

type Schemas = components['schemas']

/** A page of a paginated list (`?page=&page_size=`). */
export interface Page<T> {
  count: number
  next: string | null
  previous: string | null
  results: T[]
}

export type SkuCard = Schemas['SKUCard']
export type Breadcrumb = Schemas['Breadcrumb']
export type Crumb = Breadcrumb['cat1']
export type SkuDetail = Schemas['SKUDetail']
export type SkuComment = Schemas['Comment']
export type HomeData = Schemas['Home']
export type HomeGroup = Schemas['ChannelGroup']
export type HomeChannel = Schemas['Channel']
export type HomeCategory = Schemas['SecondLevelCategory'] | Schemas['ThirdLevelCategory']
export type ContentItem = Schemas['Content']
export type FloorBrand = Schemas['FloorBrand']
export type LoginAnswer = Schemas['LoggedIn']
export type RegisterAnswer = Schemas['Registered']
export type UserProfile = Schemas['UserDetail']
export type ProfileChanges = Schemas['PatchedProfileRequest']
export type Area = Schemas['Area']
export type AreaWithSubs = Schemas['AreaWithSubs']
export type Address = Schemas['Address']
export type AddressBook = Schemas['AddressBook']
export type AddressInput = Schemas['AddressRequest']
export type CartLine = Schemas['CartItem']
export type MiniCartLine = Schemas['CartSimpleItem']
export type OrderSku = Schemas['SettlementItem']
export type Settlement = Schemas['Settlement']
export type OrderRefund = Schemas['OrderRefund']
export type Order = Schemas['Order']
export type UncommentedGoods = Schemas['UncommentedLine']
export type CustomerMessage = Schemas['CustomerMessage']
