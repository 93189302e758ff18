// The API's own operation documents (Api/Operations, inlined as text by the bundler): the board sends exactly what
// the end-to-end tests send and what the codegen check types, each with the fragments it spreads, so none can drift.
import fragmentFile from '../../../Operations/CartFields.graphql';
import cart from '../../../Operations/Cart.graphql';
import carts from '../../../Operations/Carts.graphql';
import cartEvents from '../../../Operations/CartEvents.graphql';
import createCart from '../../../Operations/CreateCart.graphql';
import addItemToCart from '../../../Operations/AddItemToCart.graphql';
import removeItemFromCart from '../../../Operations/RemoveItemFromCart.graphql';
import checkOutCart from '../../../Operations/CheckOutCart.graphql';

/** Each `fragment Name on Type { ... }` of the fragments file, by name. */
const fragments = new Map(
  [...fragmentFile.matchAll(/fragment (\w+) on \w+ \{/g)].map(match => [match[1], block(fragmentFile, match.index)]),
);

/** The text from `start` through the brace that closes the first one opened. */
function block(text, start) {
  let depth = 0;
  for (let i = text.indexOf('{', start); i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error('unbalanced braces in the fragments file');
}

/** The operation and every fragment it spreads, directly or not (a fragment it does not use is an error). */
function withFragments(operation) {
  const used = [];
  const pending = spreads(operation);
  while (pending.length > 0) {
    const name = pending.shift();
    if (used.includes(name)) continue;
    const fragment = fragments.get(name);
    if (!fragment) throw new Error(`no fragment ${name} in CartFields.graphql`);
    used.push(name);
    pending.push(...spreads(fragment));
  }
  return [operation, ...used.map(name => fragments.get(name))].join('\n');
}

function spreads(text) {
  return [...text.matchAll(/\.\.\.\s*(?!on\b)(\w+)/g)].map(match => match[1]);
}

export const documents = Object.freeze({
  cart: withFragments(cart),
  carts: withFragments(carts),
  cartEvents: withFragments(cartEvents),
  createCart: withFragments(createCart),
  addItemToCart: withFragments(addItemToCart),
  removeItemFromCart: withFragments(removeItemFromCart),
  checkOutCart: withFragments(checkOutCart),
});
