// Peer-supplied text (names, messages, reasons) is printed to a terminal. Escape
// sequences in it could move the cursor, rewrite earlier lines, change the window title
// or (on some terminals) answer back with input: a malicious peer must not be able to do
// any of that. Every such character is shown visibly instead of being interpreted.

/**
 * C0 controls, DEL, C1 controls (U+0080-U+009F: 8-bit CSI/OSC on some terminals),
 * bidirectional overrides and isolates (they reorder what is shown: "Trojan Source"),
 * and the Unicode line and paragraph separators (they start a fake new line).
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

function visible(char: string): string {
  const code = char.codePointAt(0)!;
  // Caret notation for C0 and DEL, as `cat -v` shows them: ESC becomes ^[, CR ^M.
  if (code < 0x20) return '^' + String.fromCharCode(code + 0x40);
  if (code === 0x7f) return '^?';
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** Text safe to print on one terminal line: no control or reordering characters left. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * JSON for one output line. JSON.stringify escapes only U+0000-U+001F; the other
 * characters above are escaped too, so a consumer that echoes the raw line is safe.
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(
    UNSAFE,
    (char) => `\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
}
