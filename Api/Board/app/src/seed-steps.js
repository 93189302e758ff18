// The seed's example (shared/seed): five commands on one new cart, each sent as its own mutation.

export const seedSteps = [
  {
    label: 'Create the cart in USD',
    run: (api, cartId) => api.createCart(cartId ? { cartId, currency: 'USD' } : { currency: 'USD' }),
  },
  {
    label: 'Add 2 × SKU-123 "Item 123" at 25',
    run: (api, cartId) => api.addItemToCart({ cartId, item: { sku: 'SKU-123', name: 'Item 123', quantity: 2, unitPrice: 25 } }),
  },
  {
    label: 'Add 1 × SKU-456 "Item 456" at 15',
    run: (api, cartId) => api.addItemToCart({ cartId, item: { sku: 'SKU-456', name: 'Item 456', quantity: 1, unitPrice: 15 } }),
  },
  {
    label: 'Remove 1 × SKU-123',
    run: (api, cartId) => api.removeItemFromCart({ cartId, sku: 'SKU-123', quantity: 1 }),
  },
  {
    label: 'Check out',
    run: (api, cartId) => api.checkOutCart({ cartId }),
  },
];

/**
 * Runs the steps in order, stopping at the first that fails. `report(index, outcome)` hears of each:
 * { state: 'running' | 'done' | 'failed' | 'skipped', cart?, errors?, message? }.
 * An empty `cartId` lets the server name the cart.
 */
export async function runSeed(api, cartId, report) {
  for (const [index, step] of seedSteps.entries()) {
    report(index, { state: 'running' });
    let payload;
    try {
      payload = await step.run(api, cartId);
    } catch (error) {
      return stop(index, { state: 'failed', message: error.message }, report);
    }
    if (payload.errors?.length) return stop(index, { state: 'failed', errors: payload.errors }, report);
    cartId = payload.cart.cartId;
    report(index, { state: 'done', cart: payload.cart });
  }
}

function stop(failed, outcome, report) {
  report(failed, outcome);
  for (let index = failed + 1; index < seedSteps.length; index++) report(index, { state: 'skipped' });
}
