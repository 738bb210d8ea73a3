/**
 * A sparse user-item interaction matrix (implicit feedback: who interacted with what), stored both ways:
 * CSR by user and CSC by item, with sorted indices. The shared input of the neighbourhood models.
 */
export interface InteractionMatrix {
  numUsers: number;
  numItems: number;
  /** userItems.items[userItems.offsets[u] .. offsets[u+1]) are u's items, ascending. */
  userItems: { offsets: Int32Array; items: Int32Array };
  /** itemUsers.users[itemUsers.offsets[i] .. offsets[i+1]) are i's users, ascending. */
  itemUsers: { offsets: Int32Array; users: Int32Array };
  /** Number of distinct users per item. */
  itemCount: Int32Array;
}

function compress(rows: number, pairs: [number, number][]): { offsets: Int32Array; cols: Int32Array } {
  const offsets = new Int32Array(rows + 1);
  for (const [r] of pairs) offsets[r + 1] = (offsets[r + 1] as number) + 1;
  for (let r = 0; r < rows; r++) offsets[r + 1] = (offsets[r + 1] as number) + (offsets[r] as number);
  const cols = new Int32Array(pairs.length);
  const fill = offsets.slice(0, rows);
  for (const [r, c] of pairs) cols[(fill[r] as number)++] = c;
  for (let r = 0; r < rows; r++) cols.subarray(offsets[r], offsets[r + 1]).sort();
  return { offsets, cols };
}

/** Builds the matrix from parallel user/item arrays; repeated pairs count once. */
export function buildMatrix(
  user: ArrayLike<number>,
  item: ArrayLike<number>,
  numUsers: number,
  numItems: number,
): InteractionMatrix {
  const seen = new Set<number>();
  const pairs: [number, number][] = [];
  for (let k = 0; k < user.length; k++) {
    const u = user[k] as number;
    const i = item[k] as number;
    const key = u * numItems + i;
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push([u, i]);
  }
  const byUser = compress(numUsers, pairs);
  const byItem = compress(
    numItems,
    pairs.map(([u, i]) => [i, u]),
  );
  const itemCount = new Int32Array(numItems);
  for (let i = 0; i < numItems; i++) itemCount[i] = (byItem.offsets[i + 1] as number) - (byItem.offsets[i] as number);
  return {
    numUsers,
    numItems,
    userItems: { offsets: byUser.offsets, items: byUser.cols },
    itemUsers: { offsets: byItem.offsets, users: byItem.cols },
    itemCount,
  };
}

/** Size of the intersection of two ascending arrays. */
export function intersectCount(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

export const usersOf = (m: InteractionMatrix, i: number): Int32Array =>
  m.itemUsers.users.subarray(m.itemUsers.offsets[i], m.itemUsers.offsets[i + 1]);
export const itemsOf = (m: InteractionMatrix, u: number): Int32Array =>
  m.userItems.items.subarray(m.userItems.offsets[u], m.userItems.offsets[u + 1]);

/** The matrix with one more user (index numUsers) who interacted with `items`: the shopper, for retraining. */
export function withUser(m: InteractionMatrix, items: number[]): InteractionMatrix {
  const user: number[] = [];
  const item: number[] = [];
  for (let u = 0; u < m.numUsers; u++)
    for (const i of itemsOf(m, u)) {
      user.push(u);
      item.push(i);
    }
  for (const i of items) {
    user.push(m.numUsers);
    item.push(i);
  }
  return buildMatrix(user, item, m.numUsers + 1, m.numItems);
}
