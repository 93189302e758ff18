// The live cart board: a tenant's carts, loaded page by page, then kept current by the tenant's cartEvents
// subscription (each event makes the board read that cart at the event's version; after a dropped socket it resumes
// after the last event seen instead of reading every page again), and the seed example as a form.
import { cartApi } from './cart-api.js';
import { CartBook } from './cart-book.js';
import { cartRefresher } from './cart-refresher.js';
import { cartTable } from './cart-table.js';
import { connectionForm, developmentConfig } from './connection-form.js';
import { eventLog } from './event-log.js';
import { openFeed } from './live-feed.js';
import { seedForm } from './seed-form.js';
import { statusLine } from './status-line.js';

const status = statusLine(document.getElementById('status'));
const table = cartTable(document.getElementById('carts'));
const events = eventLog(document.getElementById('events'));
const seed = seedForm(document.getElementById('seed'), document.getElementById('seed-steps'));
const connection = connectionForm(document.getElementById('connection'), show);
const reload = document.getElementById('reload');
let stopShowing = () => {};

seed.use(null);
reload.disabled = true;
if (connection.prefill(await developmentConfig())) connection.submit();

/** Shows one tenant: stops whatever was shown, then subscribes first and loads second, so no change falls between. */
function show(tenantId, authorization) {
  stopShowing();
  const endpoint = new URL('../graphql', location.href);
  const socketUrl = new URL(endpoint);
  socketUrl.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
  const api = cartApi({ endpoint, authorization, tenantId });
  const book = new CartBook();
  let stopped = false;
  let loading = null;
  const refresher = cartRefresher(
    (cartId, version) => api.cart(cartId, version),
    (cartId, cart) => (cart ? book.put(cart) : book.remove(cartId)),
    error => !stopped && status.show('error', error.message));

  // A read still in flight when another tenant is shown must not draw this one's carts.
  book.onChange(changed => !stopped && table.render(book.sorted(), changed, tenantId));
  reload.onclick = () => load(); // e.g. for archived carts: no event says a cart was archived
  table.render([], new Set(), tenantId);
  events.clear();
  seed.use(api);
  reload.disabled = false;
  status.show('connecting', `Connecting to tenant ${tenantId}…`);
  const liveMessage = `Live: changes to tenant ${tenantId}'s carts show as they happen.`;

  /** Every page of carts: on the first connection, on Reload, and after a reconnection that could not resume. */
  function load() {
    loading ??= (async () => {
      const since = book.beginLoad();
      try {
        const carts = await api.allCarts();
        if (stopped) return;
        book.finishLoad(since, carts);
        status.show('live', liveMessage);
      } catch (error) {
        if (!stopped) status.show('error', error.message);
      } finally {
        loading = null;
      }
    })();
  }

  const stopFeed = openFeed({ socketUrl, authorization, tenantId }, {
    onEvent: event => {
      events.add(event);
      refresher.want(event.cartId, event.streamPosition);
    },
    // A resumed feed sends what happened while the socket was down: the pages need no second read.
    onConnected: resumed => {
      if (!resumed) load();
      else if (!stopped && !loading) status.show('live', liveMessage);
    },
    onDisconnected: () => !stopped && status.show('connecting', 'Connection lost: reconnecting…'),
    onFailed: message => !stopped && status.show('error', message),
  });

  stopShowing = () => {
    stopped = true;
    stopFeed();
    seed.use(null);
  };
}
