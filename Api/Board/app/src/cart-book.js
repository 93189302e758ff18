// The tenant's carts as the board knows them. A cart's version only grows, so an older copy never replaces a newer
// one, whichever answer arrives last.
export class CartBook {
  #carts = new Map(); // cartId -> { cart, generation }
  #generation = 0;
  #listeners = new Set();

  /** Calls `listener(changedIds)` after every change. */
  onChange(listener) {
    this.#listeners.add(listener);
  }

  put(cart) {
    const known = this.#carts.get(cart.cartId);
    if (known && known.cart.version >= cart.version) return;
    this.#carts.set(cart.cartId, { cart, generation: ++this.#generation });
    this.#changed([cart.cartId]);
  }

  remove(cartId) {
    if (this.#carts.delete(cartId)) this.#changed([]);
  }

  /** Marks the start of a full load: what changes after it is kept when the load's (older) answer comes. */
  beginLoad() {
    return this.#generation;
  }

  /** Replaces every cart with a full load's, except copies newer than the load; carts gone from it (archived) leave. */
  finishLoad(since, carts) {
    const next = new Map(carts.map(cart => [cart.cartId, { cart, generation: since }]));
    for (const [cartId, known] of this.#carts) {
      const loaded = next.get(cartId);
      if (known.generation > since && (!loaded || loaded.cart.version < known.cart.version)) next.set(cartId, known);
    }
    this.#carts = next;
    this.#changed([]);
  }

  /** Most recently changed first: a live board shows activity at the top. */
  sorted() {
    return [...this.#carts.values()]
      .map(entry => entry.cart)
      .sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? '') || a.cartId.localeCompare(b.cartId));
  }

  #changed(cartIds) {
    for (const listener of this.#listeners) listener(new Set(cartIds));
  }
}
