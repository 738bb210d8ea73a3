/** Models trained by more than one recipe (the image embedder, the sequential model) name them the same way. */
import { HushCartError } from '../errors';

/** The recipe `name` among a model's `recipes`, or an error that lists them (`whose`: "the image embedder's"). */
export function namedRecipe<R extends string>(recipes: Record<R, unknown>, name: unknown, whose: string): R {
  if (typeof name === 'string' && Object.hasOwn(recipes, name)) return name as R;
  throw new HushCartError(
    'api/invalid-argument',
    `unknown recipe '${String(name)}'; ${whose} are ${Object.keys(recipes).join(', ')}`,
  );
}
