// Turns the tenant's events into fresh carts: per cart, one request at a time, always for the newest version an event
// announced (a burst of events on one cart costs one or two reads, not one each).

/**
 * @param {(cartId: string, atLeastVersion: number) => Promise<any>} read the cart at that version or later, or null
 * @param {(cartId: string, cart: any) => void} onCart
 * @param {(error: Error) => void} onError
 */
export function cartRefresher(read, onCart, onError) {
  const wanted = new Map(); // cartId -> the highest version asked for and not yet read
  const reading = new Set();

  async function drain(cartId) {
    reading.add(cartId);
    try {
      while (wanted.has(cartId)) {
        const version = wanted.get(cartId);
        wanted.delete(cartId);
        try {
          onCart(cartId, await read(cartId, version));
        } catch (error) {
          onError(error);
        }
      }
    } finally {
      reading.delete(cartId);
    }
  }

  return {
    want(cartId, version) {
      wanted.set(cartId, Math.max(version, wanted.get(cartId) ?? 0));
      if (!reading.has(cartId)) void drain(cartId);
    },
  };
}
