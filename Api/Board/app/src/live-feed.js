// The tenant's events as they happen: the cartEvents subscription (every cart of the tenant) over
// graphql-transport-ws, with the token in connection_init.
import { createClient } from 'graphql-ws';
import { documents } from './documents.js';

const Forbidden = 4403; // the server's close code for a missing or refused token: retrying cannot help
const MaxRetryWait = 15_000;

/**
 * @param {{ socketUrl: URL, authorization: string, tenantId: string }} session
 * @param {{ onEvent: (event: any) => void, onConnected: () => void,
 *           onDisconnected: () => void, onFailed: (message: string) => void }} listeners
 * @returns {() => void} stops the feed
 */
export function openFeed(session, { onEvent, onConnected, onDisconnected, onFailed }) {
  const client = createClient({
    url: session.socketUrl.href,
    connectionParams: { authorization: session.authorization },
    retryAttempts: Infinity,
    retryWait: retries => new Promise(resolve => setTimeout(resolve, Math.min(1000 * 2 ** retries, MaxRetryWait) + Math.random() * 500)),
    shouldRetry: event => typeof event?.code === 'number' && event.code !== Forbidden,
    on: {
      connected: () => onConnected(),
      // Not once refused: the client closes its idle socket then, which is no news after the refusal.
      closed: () => !stopped && !refused && onDisconnected(),
    },
  });
  let stopped = false;
  let refused = false;
  let stop = subscribe();

  function subscribe() {
    return client.subscribe(
      { query: documents.cartEvents, variables: { tenantId: session.tenantId } },
      {
        next: result => {
          if (result.errors?.length) fail(result.errors.map(e => e.message).join(' '));
          else if (result.data) onEvent(result.data.cartEvents);
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
