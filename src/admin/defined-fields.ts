/**
 * Update patches from admin request bodies: a field the body leaves out (undefined) keeps the stored value, while
 * an explicit `null` is kept, because it clears the field.
 */

/** The named fields of `body` that are present (not undefined), each keeping its type, `null` included. */
export function definedFields<T extends object, K extends keyof T>(body: T, names: readonly K[]): { [P in K]?: Exclude<T[P], undefined> } {
  const patch: { [P in K]?: Exclude<T[P], undefined> } = {};
  for (const name of names) {
    const value = body[name];
    // TypeScript does not narrow an indexed generic (`T[K]`) by the check above; the cast only drops `undefined`.
    if (value !== undefined) patch[name] = value as Exclude<T[K], undefined>;
  }
  return patch;
}
