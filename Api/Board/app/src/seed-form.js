// The seed form: an optional cart id, one button, and what each of the five steps answered.
import { h } from './dom.js';
import { errorLine, money, statusLabel } from './format.js';
import { runSeed, seedSteps } from './seed-steps.js';

/** @param {HTMLFormElement} form  @param {HTMLOListElement} list */
export function seedForm(form, list) {
  const button = form.querySelector('button');
  const cartIdInput = form.elements.namedItem('cartId');
  const results = seedSteps.map(step => {
    const result = h('span', { class: 'result' }, 'Not run yet');
    list.append(h('li', { 'data-state': 'idle' }, h('span', { class: 'label' }, step.label), result));
    return result;
  });
  let api = null;

  form.addEventListener('submit', async event => {
    event.preventDefault();
    if (!api) return;
    button.disabled = true;
    try {
      await runSeed(api, cartIdInput.value.trim(), (index, outcome) => {
        results[index].parentElement.dataset.state = outcome.state;
        results[index].replaceChildren(...describe(outcome));
      });
    } finally {
      button.disabled = false;
    }
  });

  return {
    /** The API of the tenant shown, or null while none is. */
    use(next) {
      api = next;
      button.disabled = !next;
    },
  };
}

function describe({ state, cart, errors, message }) {
  switch (state) {
    case 'running': return ['Running…'];
    case 'skipped': return ['Not run'];
    case 'failed': return errors ? errors.map(error => h('span', { class: 'error' }, errorLine(error))) : [message];
    default: return [
      h('code', {}, cart.cartId),
      ` ${statusLabel(cart.status)}, version ${cart.version}, total ${money(cart.total, cart.currency)}`,
      cart.orderId ? `, order ${cart.orderId}` : '',
    ];
  }
}
