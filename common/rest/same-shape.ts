/**
 * True when a schema's output and a declared type are the same shape: each assignable to the
 * other, and the same keys (an optional field missing on one side would pass the first test).
 * Used as `const check: SameShape<z.output<typeof s>, T> = true`, so a difference fails to compile.
 */
export type SameShape<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never]
      ? true
      : false
    : false
  : false
