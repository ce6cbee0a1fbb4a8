/** Shared pieces of the markdown reports (job summaries and PR comments). */

/** Escapes the characters that break a GitHub table cell or start markup. */
export function escapeCell(text: unknown): string {
  return String(text ?? '')
    .replaceAll('|', '\\|')
    .replaceAll('\n', ' ');
}

/** Longest text a report or annotation shows in full (a job summary holds at most 1 MiB). */
export const MAX_SHOWN_CHARACTERS = 120;

/** Text cut to MAX_SHOWN_CHARACTERS, naming its full length. */
export function shortText(text: string): string {
  if (text.length <= MAX_SHOWN_CHARACTERS) return text;
  // By code point, so a character outside the BMP is neither cut in half nor counted twice.
  const characters = [...text];
  if (characters.length <= MAX_SHOWN_CHARACTERS) return text;
  return `${characters.slice(0, MAX_SHOWN_CHARACTERS).join('')}… (${characters.length} characters)`;
}

/** A data value as reports show it: JSON, cut by shortText (a long text counted in its own characters). */
export function shownValue(value: unknown): string {
  const characters = typeof value === 'string' && value.length > MAX_SHOWN_CHARACTERS ? [...value] : [];
  if (characters.length > MAX_SHOWN_CHARACTERS)
    return `${JSON.stringify(characters.slice(0, MAX_SHOWN_CHARACTERS).join(''))}… (${characters.length} characters)`;
  return shortText(JSON.stringify(value) ?? String(value));
}

export function markdownTable(headers: string[], rows: unknown[][]): string {
  const line = (cells: unknown[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Numbers for people: up to 4 significant decimals, integers as they are, missing as an em dash. */
export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (Number.isInteger(value)) return String(value);
  return Number(value.toFixed(digits)).toString();
}

/** p-values for people: 4 decimals, small ones in exponent form (a p of 9.7e-7 is not "0"). */
export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return '—';
  return p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

export const VERDICT_ICON = { pass: '✅', warn: '⚠️', fail: '❌' } as const;
