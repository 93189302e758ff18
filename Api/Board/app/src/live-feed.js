// The tenant's events as they happen: the cartEvents subscription (every cart of the tenant) over
// graphql-transport-ws, with the token in connection_init. After a dropped socket (or a subscription the server
// completed) it subscribes again after the cursor of the last event it received: the server sends what happened
// meanwhile, then the live events, none missed or repeated.
import { createClient } from 'graphql-ws';
import { documents } from './documents.js';

const Forbidden = 4403; // the server's close code for a missing or refused token: retrying cannot help
const MaxRetryWait = 15_000;

/**
 * @param {{ socketUrl: URL, authorization: string, tenantId: string }} session
 * @param {{ onEvent: (event: any) => void, onConnected: (resumed: boolean) => void,
 *           onDisconnected: () => void, onFailed: (message: string) => void }} listeners
 * `onConnected(resumed)`: whether this connection resumes after an event received, so that nothing was missed; when
 * false (the first connection, or no event came before the socket dropped) the caller reads the carts.
 * @returns {() => void} stops the feed
 */
export function openFeed(session, { onEvent, onConnected, onDisconnected, onFailed }) {
  let lastCursor = null; // the cursor of the last event received
  const client = createClient({
    url: session.socketUrl.href,
    connectionParams: { authorization: session.authorization },
    retryAttempts: Infinity,
    retryWait: retries => new Promise(resolve => setTimeout(resolve, Math.min(1000 * 2 ** retries, MaxRetryWait) + Math.random() * 500)),
    shouldRetry: event => typeof event?.code === 'number' && event.code !== Forbidden,
    on: {
      connected: () => onConnected(lastCursor !== null),
      // Not once refused: the client closes its idle socket then, which is no news after the refusal.
      closed: () => !stopped && !refused && onDisconnected(),
    },
  });
  let stopped = false;
  let refused = false;
  let stop = subscribe();

  function subscribe() {
    return client.subscribe(
      // graphql-ws sends this payload again on each reconnection: the getter gives the cursor as it is then.
      { query: documents.cartEvents, variables: { tenantId: session.tenantId, get after() { return lastCursor; } } },
      {
        next: result => {
          if (result.errors?.length) fail(result.errors.map(e => e.message).join(' '));
          else if (result.data) {
            lastCursor = result.data.cartEvents.cursor;
            onEvent(result.data.cartEvents);
          }
        },
        error: error => fail(describe(error)),
        // The server completes subscriptions when it shuts down: subscribe again (to another instance, or once it is
        // back), unless it refused this one.
        complete: () => {
          if (!stopped && !refused) setTimeout(() => { if (!stopped) stop = subscribe(); }, 1000);
        },
      },
    );
  }

  function fail(message) {
    refused = true;
    onFailed(message);
  }

  return () => {
    stopped = true;
    stop();
    void client.dispose();
  };
}

function describe(error) {
  if (Array.isArray(error)) return error.map(e => e.message).join(' ');
  if (error?.code === Forbidden) return `The server refused the token (${error.reason || 'close 4403'}).`;
  if (typeof error?.code === 'number') return `The socket closed (${error.code}${error.reason ? `: ${error.reason}` : ''}).`;
  return error?.message ?? String(error);
}
