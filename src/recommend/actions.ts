/** Shared by the engine's recommender and the page's reason wording (no imports: safe for the UI bundle). */

/** The action given to the product on screen when it is the newest step of "Up next". */
export const ON_SCREEN = 'on screen';
