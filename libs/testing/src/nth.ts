/** `list[i]` for a test that expects it there: a missing one fails the test, saying what is missing. */
export function nth<T>(list: readonly T[], i: number, what = `element ${i}`): T {
  const v = list[i];
  if (v === undefined) throw new Error(`expected ${what} in a list of ${list.length}`);
  return v;
}
