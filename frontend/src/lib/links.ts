// Links from content data (home page slots, channels): only site paths and http(s) URLs are ever rendered.

export type LinkKind = 'route' | 'href' | 'none'

/** How to render a content link: an in-app route, a plain http(s) link, or no link at all (anything else). */
export function linkKind(to: string | null | undefined): LinkKind {
  if (!to) return 'none'
  if (/^\/(?![/\\])[^\s\\]*$/.test(to)) return 'route'
  if (/^https?:\/\/[^\s\\]+$/i.test(to)) return 'href'
  return 'none'
}
