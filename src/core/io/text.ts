/** Text of a user's file without the byte-order mark some editors (Windows Notepad) put first: JSON.parse takes it for content. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
