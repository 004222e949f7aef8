/**
 * A first draft of a public FAQ text (pure): the resident's name becomes 居民, phone and ID numbers and
 * long digit runs are blanked. The worker still reads and edits it; the server refuses what remains.
 */
export function deidentify(text: string, residentName: string): string {
  // Full-width digits and letters (４３０１…Ｘ) become ASCII first, as on the server; Chinese punctuation stays.
  let out = text.replace(/[０-９Ａ-Ｚａ-ｚ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const name = residentName.trim();
  if (name.length >= 2) out = out.split(name).join('居民');
  out = out.replace(/\d[\d\s-]{13,}[\dXx]/g, '***');
  out = out.replace(/\d[\d\s*-]{5,}\d/g, '***');
  return out.trim();
}
