/** Models trained by more than one recipe (the image embedder, the sequential model) name them the same way. */
import { HushCartError } from '../errors';

/** The recipe `name` among a model's `recipes`, or an error that lists them (`whose`: "the image embedder's"). */
export function namedRecipe<R extends string>(recipes: readonly R[], name: unknown, whose: string): R {
  if (typeof name === 'string' && (recipes as readonly string[]).includes(name)) return name as R;
  throw new HushCartError(
    'api/invalid-argument',
    `unknown recipe '${String(name)}'; ${whose} are ${recipes.join(', ')}`,
  );
}
