/**
 * Text that came from outside (a benchmark's name in another harness's file, a parameter, an
 * error message) is printed to terminals and pages. Control characters in it could move the
 * cursor, retitle or reset a terminal (ESC c), or hide a line: they are replaced before
 * anything keeps or shows them.
 */
// C0 and C1 controls and DEL; tab and newline are handled by callers that allow them.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** `text` with every control character replaced by `?` (newlines and tabs too). */
export function withoutControls(text: string, replacement = '?'): string {
  return text.replace(CONTROL, replacement);
}

// The same, but a message's own line breaks and tabs are kept.
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** A message for the terminal (an error that may quote the user's input): controls but newline and tab replaced. */
export function printable(text: string, replacement = '?'): string {
  return text.replace(CONTROL_BUT_LINES, replacement);
}
