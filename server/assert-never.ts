/** The default branch of an exhaustive switch over a tagged union: the compiler proves it unreachable. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
