// The carts table: one row per cart (status, items, total, version, last change); a row that just changed flashes.
import { h } from './dom.js';
import { clock, money, statusLabel } from './format.js';

/** @param {HTMLTableElement} table */
export function cartTable(table) {
  const body = table.tBodies[0];
  const rows = new Map(); // cartId -> <tr> of the version it shows

  return {
    render(carts, changed, tenantId) {
      table.caption.textContent = `${carts.length} ${carts.length === 1 ? 'cart' : 'carts'} of tenant ${tenantId}`;
      const shown = new Set();
      for (const cart of carts) {
        shown.add(cart.cartId);
        if (rows.get(cart.cartId)?.dataset.version !== String(cart.version)) rows.set(cart.cartId, row(cart));
      }
      for (const cartId of rows.keys()) if (!shown.has(cartId)) rows.delete(cartId);
      body.replaceChildren(...(carts.length ? carts.map(cart => rows.get(cart.cartId)) : [emptyRow()]));
      for (const cartId of changed) flash(rows.get(cartId));
    },
  };
}

function row(cart) {
  return h('tr', { 'data-cart-id': cart.cartId, 'data-version': cart.version },
    h('th', { scope: 'row' }, h('code', {}, cart.cartId)),
    h('td', { 'data-field': 'status' }, h('span', { class: 'badge', 'data-status': cart.status }, statusLabel(cart.status))),
    h('td', { 'data-field': 'items' }, items(cart)),
    h('td', { 'data-field': 'total', class: 'number' }, money(cart.total, cart.currency)),
    h('td', { 'data-field': 'version', class: 'number' }, String(cart.version)),
    h('td', { 'data-field': 'updated' }, h('time', { datetime: cart.updatedAt }, clock(cart.updatedAt))));
}

function items(cart) {
  if (cart.items.length === 0) return h('span', { class: 'muted' }, 'No items');
  return h('ul', { class: 'items' }, cart.items.map(item =>
    h('li', {}, `${item.quantity} × ${item.name} `, h('span', { class: 'muted' }, `(${item.sku}) at ${money(item.unitPrice, cart.currency)}`))));
}

function emptyRow() {
  return h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No carts yet: run the seed example, or change a cart anywhere.'));
}

/** Restarts the highlight animation, even on a row that is still flashing. */
function flash(tr) {
  if (!tr) return;
  tr.classList.remove('changed');
  void tr.offsetWidth;
  tr.classList.add('changed');
}
