/**
 * Escaping for every markup we write. Benchmark names, URLs, check names and commit subjects
 * come from users: nothing reaches HTML, SVG or XML without passing through here.
 */
const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element text and in quoted attribute values, for HTML, SVG and XML alike. */
export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => HTML[c]!);
}

/** XML 1.0 also forbids most control characters, even escaped: they are dropped. */
export function escapeXml(s: unknown): string {
  // eslint-disable-next-line no-control-regex
  return escapeHtml(s).replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '');
}

/**
 * What GitHub would render as HTML in Markdown: a tag or an entity. Quotes mean nothing in
 * Markdown text, and an entity for them would show as `&\#39;` once `#` is escaped below.
 */
function markdownHtml(s: unknown): string {
  return String(s).replace(/[&<>]/g, (c) => HTML[c]!);
}

/** Markdown table cell: pipes and newlines would break the row, HTML would be rendered by GitHub. */
export function escapeMarkdownCell(s: unknown): string {
  return markdownHtml(s).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Markdown inline text (headings, list items): markup characters lose their meaning. */
export function escapeMarkdown(s: unknown): string {
  return markdownHtml(s).replace(/([\\`*_[\]#|~])/g, '\\$1').replace(/\r?\n/g, ' ');
}

/** A fragment id from any string: stable, unique enough, and safe anywhere. */
export function anchorId(s: string): string {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  const slug = s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  return `c-${slug}-${(h >>> 0).toString(36)}`;
}

/** A commit message's first line, cut to fit a table cell; the whole message goes in a title. */
export function subjectLine(message: string, max = 80): string {
  const first = message.split('\n', 1)[0]!.trim();
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}
