/** A credential header's value without its `Bearer ` scheme (any case), trimmed; other values are returned trimmed. */
export function withoutBearer(value: string): string {
  return value.trim().replace(/^bearer\s+/i, '').trim();
}
