// The last few events of the tenant, newest first, as the cartEvents subscription delivers them.
import { h } from './dom.js';
import { clock } from './format.js';

const Kept = 12;

/** @param {HTMLOListElement} list */
export function eventLog(list) {
  return {
    clear: () => list.replaceChildren(),
    add(event) {
      list.prepend(h('li', {},
        h('time', { datetime: event.created }, clock(event.created)), ' ',
        h('strong', {}, event.type), ' ',
        h('code', {}, event.cartId), ` v${event.streamPosition}`));
      while (list.children.length > Kept) list.lastElementChild.remove();
    },
  };
}
