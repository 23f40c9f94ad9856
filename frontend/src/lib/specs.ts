// The spec matrix of an SKU detail: which option is chosen, and which sibling SKU each other option leads to.

export interface SpecOption {
  id: number
  value: string
  /** The on-sale SKU with this option and the other specs kept as they are, or null when there is none. */
  sku_id: number | null
}

export interface Spec {
  id: number
  name: string
  options: SpecOption[]
}

export interface OptionState {
  id: number
  value: string
  selected: boolean
  /** The SKU to move to when the option is clicked (null: not available, or already selected). */
  target: number | null
  disabled: boolean
}

export interface SpecState {
  id: number
  name: string
  options: OptionState[]
}

/**
 * For the SKU `skuId`, mark in each spec the option that describes it (the one whose sibling is the SKU itself)
 * and give every other option the sibling SKU it leads to.
 */
export function specStates(specs: readonly Spec[] | null | undefined, skuId: number): SpecState[] {
  return (specs ?? []).map((spec) => ({
    id: spec.id,
    name: spec.name,
    options: (spec.options ?? []).map((option) => {
      const selected = option.sku_id === skuId
      return {
        id: option.id,
        value: option.value,
        selected,
        target: selected ? null : option.sku_id,
        disabled: !selected && option.sku_id === null,
      }
    }),
  }))
}

/** The SKU to show after choosing option `optionId` of spec `specId` (null when it stays or has no SKU). */
export function siblingSku(specs: readonly Spec[] | null | undefined, skuId: number, specId: number, optionId: number): number | null {
  const spec = specStates(specs, skuId).find((s) => s.id === specId)
  const option = spec?.options.find((o) => o.id === optionId)
  return option?.target ?? null
}
