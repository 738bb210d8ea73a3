/**
 * A product description's HTML (Shopify's `Body (HTML)`, a feed's description) as plain text: block tags become
 * line breaks, inline tags (strong, a, span) are dropped, entities are decoded (by `entities`, the decoder htmlparser2 uses).
 * The result is only ever rendered as text (never markup), so dropping tags is all it must do: readable, not safe.
 */
import { decodeHTML } from 'entities';

export function htmlToText(html: string): string {
  return decodeHTML(
    html
      .replace(/<(script|style)[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<\/?(p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|section|article|blockquote)\b[^>]*>/gi, '\n')
      .replace(/<[^>]*>/g, ''),
  )
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}
