/**
 * The largest value of an array, or `floor` when it is larger or the array is empty. A loop, not
 * `Math.max(...values)`: spreading a catalog-sized array (100k items) into arguments overflows the stack of a
 * worker (measured: the scale benchmark's 100k-item pack failed with "Maximum call stack size exceeded").
 */
export function arrayMax(values: ArrayLike<number>, floor = -Infinity): number {
  let max = floor;
  for (let i = 0; i < values.length; i++) if ((values[i] as number) > max) max = values[i] as number;
  return max;
}
