// What a frontend does with the generated documents: add an item, tell each payload error apart by __typename,
// and follow the cart live.
import {
  AddItemToCartDocument,
  CartChangedDocument,
  type AddItemToCartMutation,
  type CartFieldsFragment,
} from '../generated/graphql';
import { request, socketFor, subscribe, type CartGraphConnection } from './graphql-client';

type AddItemError = NonNullable<AddItemToCartMutation['addItemToCart']['errors']>[number];

/** A sentence per payload error: each case narrowed by __typename, so its own fields are typed. */
export function describe(error: AddItemError): string {
  switch (error.__typename) {
    case 'ValidationError':
      return `${error.field}: ${error.message}`;
    case 'ItemDetailsMismatchError':
      return `${error.sku} is already in the cart as "${error.existingName}" at ${error.existingUnitPrice}`;
    case 'QuantityLimitExceededError':
      return `at most ${error.limit} units of ${error.sku}`;
    case 'TooManyItemsError':
      return `at most ${error.limit} different items`;
    case 'CartClosedError':
      return `the cart is ${error.status === 'CHECKED_OUT' ? 'checked out' : 'cancelled'}`;
    case 'ConcurrencyConflictError':
      return `the cart is at version ${error.actualVersion}, not ${error.expectedVersion}`;
    case 'ForbiddenError':
      return `this token may not act for tenant ${error.tenantId}`;
    default:
      return `${error.code}: ${error.message}`;
  }
}

/** Adds an item; the cart as it is now, or the reasons it did not change. */
export async function addItem(
  connection: CartGraphConnection,
  tenantId: string,
  cartId: string,
): Promise<CartFieldsFragment | string[]> {
  const { addItemToCart } = await request(connection, AddItemToCartDocument, {
    input: { tenantId, cartId, item: { sku: 'SKU-123', name: 'Item 123', quantity: 2, unitPrice: 25 } },
  });
  if (addItemToCart.errors?.length) return addItemToCart.errors.map(describe);
  if (addItemToCart.cart == null) throw new Error('a payload without errors has its cart');
  return addItemToCart.cart;
}

/** Prints the cart's total each time it changes, until the returned function is called. */
export function followCart(connection: CartGraphConnection, tenantId: string, cartId: string): () => void {
  const socket = socketFor(connection);
  const stop = subscribe(socket, CartChangedDocument, { tenantId, cartId }, ({ cartChanged }) => {
    const lines = cartChanged.items.map(item => `${item.quantity} × ${item.sku}`).join(', ');
    console.log(`${cartChanged.cartId} v${cartChanged.version} ${cartChanged.status}: ${lines} = ${cartChanged.total} ${cartChanged.currency}`);
  });
  return () => {
    stop();
    void socket.dispose();
  };
}
