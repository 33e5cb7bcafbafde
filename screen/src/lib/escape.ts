// DataV's ranking and scroll boards render their text as raw HTML. School names, alert titles
// and feedback comments come from outside the bureau, so every string handed to them goes
// through here first.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}
