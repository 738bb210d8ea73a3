/**
 * Recommendation reasons in words: each model's reason (its own arithmetic, from the worker) with the catalog's
 * titles and the pack's own audience ("rated by 341 MovieLens users"); no data set is named from code.
 */
import type { Catalog } from '../catalog/catalog';
import { ON_SCREEN, type Reason } from '../recommend/contract';

/** "Looks like …", "Its review reads like …": the item space's block with the largest share of the similarity. */
function contentReason(r: Extract<Reason, { kind: 'content' }>, title: (id: string) => string): string {
  const similarity = `similarity ${r.similarity.toFixed(2)}`;
  const sentiment = r.sentiment === undefined ? '' : `; it reads ${Math.round(r.sentiment * 100)}% positive`;
  switch (r.basis) {
    case 'image':
      return `Looks like ${title(r.itemId)} (picture ${similarity})`;
    case 'bought':
      return `Bought by the same customers as ${title(r.itemId)} (${similarity})`;
    case 'review':
      return `Its review reads like the one for ${title(r.itemId)} (${similarity})${sentiment}`;
    case 'text':
      return `Described like ${title(r.itemId)} (${similarity})${sentiment}`;
    case 'category': {
      // The last shared label: a tag (Office's sub-category, a movie's genre) before the category.
      const group = r.shared.at(-1);
      return `${group ? `In ${group}, like` : 'Like'} ${title(r.itemId)} (${similarity})${sentiment}`;
    }
  }
}

/** How a pack's interactions read in a reason: "rated by", "bought by", "viewed by". */
const INTERACTION_VERB: Record<string, string> = { rating: 'rated', purchase: 'bought', view: 'viewed' };

/** A model's reason in words, with the catalog's titles and the pack's own audience ("MovieLens users"). */
export function reasonText(r: Reason, catalog: Catalog, recommended: string): string {
  const title = (id: string) => catalog.get(id)?.title ?? id;
  const audienceOf = (itemId: string | undefined) =>
    (itemId ? catalog.packOfItem(itemId)?.audience : undefined) ?? 'shoppers';
  switch (r.kind) {
    case 'because': {
      // A repeated verb is said once: "rated Alien 5★ and Blade Runner 5★".
      const parts = r.items.map((x, k) => {
        const phrase = [title(x.itemId), x.action.detail].filter(Boolean).join(' ');
        return k > 0 && r.items[k - 1]?.action.verb === x.action.verb ? phrase : `${x.action.verb} ${phrase}`;
      });
      return parts.length ? `Because you ${parts.join(' and ')}` : 'Because of your recent activity';
    }
    case 'next': {
      // "Up next after Alien (you rated it 5★) and Toy Story (you viewed it)"; the product on screen is just named.
      const parts = r.items.map(({ itemId, action }) =>
        action.verb === ON_SCREEN
          ? title(itemId)
          : `${title(itemId)} (you ${action.verb} it${action.detail ? ` ${action.detail}` : ''})`,
      );
      return parts.length
        ? `Up next after ${parts.join(' and ')}`
        : `Up next: a common next step among ${audienceOf(recommended)}`;
    }
    case 'popular': {
      const aisle = catalog.aisle(r.aisle)?.name ?? r.aisle;
      const packId = catalog.aisle(r.aisle)?.packId;
      const audience = catalog.packs.find((p) => p.id === packId)?.audience ?? 'shoppers';
      const verb = INTERACTION_VERB[r.interaction] ?? 'chosen';
      // Nobody chose it (a list over items without counts): said so, not "rated by 0 shoppers".
      return r.users > 0
        ? `Popular in ${aisle}: ${verb} by ${r.users} ${audience}`
        : `From ${aisle}: no ${audience} have ${verb} it yet`;
    }
    case 'first-look':
      return `To start, one of each kind we sell (${r.category}): what you browse shapes this list`;
    case 'together': {
      const { rule } = r;
      const lift = `lift ${rule.lift.toFixed(1)}`;
      if (r.unit === 'customers')
        return r.level === 'item'
          ? `Bought with ${title(r.itemId)} by about ${rule.count} ${audienceOf(r.itemId)} (${Math.round(rule.confidence * 100)}% of its buyers, ${lift})`
          : `${r.groups[1]} are often bought with ${r.groups[0]}: by about ${rule.count} ${audienceOf(r.itemId)} (${lift})`;
      return r.level === 'item'
        ? `Bought with ${title(r.itemId)} in ${rule.count} orders by ${audienceOf(r.itemId)} (${Math.round(rule.confidence * 100)}% of its orders, ${lift})`
        : `${r.groups[1]} are often bought with ${r.groups[0]}: together in ${rule.count} orders (${lift})`;
    }
    case 'trending': {
      const aisle = catalog.aisle(r.aisle)?.name ?? r.aisle;
      return `Trending in ${aisle}: ${INTERACTION_VERB[r.interaction] ?? 'chosen'} by ${r.users} ${audienceOf(recommended)} in the last ${r.days} days`;
    }
    case 'viewed':
      return 'You looked at this recently';
    case 'new':
      return `New: added ${r.added}`;
    case 'pinned':
      return 'Pinned by the shop';
    case 'promoted':
      return `Promoted by the shop (${r.subject})`;
    case 'content':
      return contentReason(r, title);
    case 'similar':
      return `Liked by the same people as ${title(r.itemId)} (similarity ${r.sharedShare.toFixed(2)})`;
  }
}
