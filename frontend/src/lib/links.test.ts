import { describe, expect, it } from 'vitest'
import { linkKind } from './links'

describe('linkKind', () => {
  it('routes site paths inside the app', () => {
    expect(linkKind('/list/115')).toBe('route')
    expect(linkKind('/detail/3?from=home#top')).toBe('route')
  })

  it('renders http(s) URLs as plain links', () => {
    expect(linkKind('https://www.itcast.cn/')).toBe('href')
    expect(linkKind('HTTP://shop.example/a')).toBe('href')
  })

  it('renders no link for anything else', () => {
    for (const bad of ['javascript:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,x', '//evil.example', '/\\evil.example', 'ftp://x', '', null, undefined]) {
      expect(linkKind(bad)).toBe('none')
    }
  })
})
