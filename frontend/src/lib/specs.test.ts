import { describe, expect, it } from 'vitest'
import { siblingSku, specStates, type Spec } from './specs'

// An iPhone SPU seen from SKU 3 (金色, 64GB): each option names the SKU that keeps the other spec as it is.
const specs: Spec[] = [
  {
    id: 1,
    name: '颜色',
    options: [
      { id: 11, value: '金色', sku_id: 3 },
      { id: 12, value: '深空灰', sku_id: 5 },
      { id: 13, value: '银色', sku_id: null },
    ],
  },
  {
    id: 2,
    name: '内存',
    options: [
      { id: 21, value: '64GB', sku_id: 3 },
      { id: 22, value: '256GB', sku_id: 4 },
    ],
  },
]

describe('specStates', () => {
  it('marks the options of the current SKU and points the others at their siblings', () => {
    const states = specStates(specs, 3)
    expect(states[0]!.options.map((o) => [o.value, o.selected, o.target, o.disabled])).toEqual([
      ['金色', true, null, false],
      ['深空灰', false, 5, false],
      ['银色', false, null, true],
    ])
    expect(states[1]!.options.filter((o) => o.selected).map((o) => o.value)).toEqual(['64GB'])
  })

  it('copes with no specs', () => {
    expect(specStates(undefined, 1)).toEqual([])
    expect(specStates([], 1)).toEqual([])
  })
})

describe('siblingSku', () => {
  it('gives the SKU to switch to', () => {
    expect(siblingSku(specs, 3, 2, 22)).toBe(4)
    expect(siblingSku(specs, 3, 1, 12)).toBe(5)
  })

  it('gives null for the chosen option, an unavailable one or an unknown id', () => {
    expect(siblingSku(specs, 3, 1, 11)).toBeNull()
    expect(siblingSku(specs, 3, 1, 13)).toBeNull()
    expect(siblingSku(specs, 3, 9, 99)).toBeNull()
  })
})
