import sanitizeHtml from 'sanitize-html';

/**
 * Rich text sanitising (等保 2.0 入侵防范: 应提供数据有效性检验功能; against stored XSS). Disclosure records and
 * notices come from an editor as HTML: only document structure survives — no script, no event handlers, no
 * styles, no frames, links only to http(s), mailto and the site itself. Call on input (store what is shown)
 * and render the result as is; plain text goes through the portal's escaping templates instead.
 */
const options: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'sub',
    'sup',
    'blockquote',
    'pre',
    'code',
    'ul',
    'ol',
    'li',
    'a',
    'img',
    'table',
    'caption',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'span',
    'div',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'width', 'height'],
    th: ['colspan', 'rowspan', 'scope'],
    td: ['colspan', 'rowspan'],
    ol: ['start'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // the contents of these go with them (a <script> body is never shown as text)
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'iframe', 'object', 'embed'],
  transformTags: {
    // links to other sites open without handing them this page (reverse tabnabbing)
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }),
  },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
};

/** Sanitise editor HTML; control characters (except tab and newline) are removed as well. */
export function sanitizeRichText(html: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = html.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  return sanitizeHtml(clean, options);
}

/** Plain text from HTML (for search indexing and summaries): every tag removed. */
export function htmlToPlainText(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: options.nonTextTags ?? [],
  })
    .replace(/\s+/g, ' ')
    .trim();
}
