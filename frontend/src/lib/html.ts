// Product descriptions come from the operators' rich-text editor: sanitized before they are shown.
import DOMPurify from 'dompurify'

/** Safe HTML for v-html: plain text keeps its line breaks, markup is cleaned by DOMPurify. */
export function safeHtml(source: string | null | undefined): string {
  if (!source) return ''
  if (!/<[a-z!/]/i.test(source)) {
    const escaped = source.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    return escaped.replace(/\n/g, '<br>')
  }
  return DOMPurify.sanitize(source, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input'] })
}
