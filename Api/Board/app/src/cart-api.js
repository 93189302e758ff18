// What the board asks of the API for one tenant: every cart, one cart at a version, and the seed's mutations.
import { documents } from './documents.js';
import { post } from './graphql-http.js';

const PageSize = 100; // the most the carts query gives at once

/** @param {{ endpoint: URL, authorization: string, tenantId: string }} session */
export function cartApi(session) {
  const { tenantId } = session;
  const run = (document, variables) => post(session, document, variables);
  const mutate = (document, field, input) => run(document, { input: { tenantId, ...input } }).then(data => data[field]);

  return {
    /** Every cart of the tenant, page after page. */
    async allCarts() {
      const all = [];
      let after = null;
      do {
        const { carts } = await run(documents.carts, { tenantId, first: PageSize, after });
        all.push(...carts.edges.map(edge => edge.node));
        after = carts.pageInfo.hasNextPage ? carts.pageInfo.endCursor : null;
      } while (after);
      return all;
    },

    /** The cart once the read model holds at least that version (the server waits for it); null when gone. */
    async cart(cartId, atLeastVersion) {
      return (await run(documents.cart, { tenantId, cartId, atLeastVersion })).cart;
    },

    createCart: input => mutate(documents.createCart, 'createCart', input),
    addItemToCart: input => mutate(documents.addItemToCart, 'addItemToCart', input),
    removeItemFromCart: input => mutate(documents.removeItemFromCart, 'removeItemFromCart', input),
    checkOutCart: input => mutate(documents.checkOutCart, 'checkOutCart', input),
  };
}
