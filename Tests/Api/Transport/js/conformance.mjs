// Drives the server given as the first argument with graphql-ws, the reference graphql-transport-ws client,
// and prints what it saw as one JSON line. Exit code 0: the protocol ran end to end; anything else: it did not.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const url = process.argv[2];
const deadline = setTimeout(() => fail('timed out after 15 s'), 15_000);
let pongs = 0;
let acknowledged = null;

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  lazy: false,
  retryAttempts: 0,
  keepAlive: 25, // the client pings every 25 ms and expects a pong back
  connectionParams: { authorization: 'Bearer conformance' },
  on: {
    connected: (_socket, payload) => { acknowledged = payload ?? null; },
    pong: (received) => { if (received) pongs++; },
  },
});

const collect = (payload) => new Promise((resolve, reject) => {
  const results = [];
  client.subscribe(payload, { next: (r) => results.push(r), error: reject, complete: () => resolve(results) });
});

function fail(reason) {
  console.error(typeof reason === 'string' ? reason : JSON.stringify(reason, Object.getOwnPropertyNames(reason ?? {})));
  process.exit(1);
}

try {
  const ticks = await collect({ query: 'subscription { ticks(count: 3, intervalMs: 20) }' });
  const hello = await collect({ query: 'query($name: String) { hello(name: $name) }', variables: { name: 'node' } });
  const echo = await collect({ query: 'mutation { echo(text: "from node") }' });

  const endless = client.iterate({ query: 'subscription { ticks(count: 100000, intervalMs: 10) }' });
  const first = await endless.next();
  await endless.return(); // sends complete for the subscription

  let validationErrors = null;
  try { await collect({ query: '{ nope }' }); } catch (errors) { validationErrors = errors; }

  await new Promise((resolve) => setTimeout(resolve, 100)); // leave room for keep-alive pings
  await client.dispose();
  clearTimeout(deadline);
  console.log(JSON.stringify({
    acknowledged,
    ticks: ticks.map((r) => r.data.ticks),
    hello: hello.map((r) => r.data.hello),
    echo: echo.map((r) => r.data.echo),
    firstOfEndless: first.value?.data?.ticks ?? null,
    validationErrors: Array.isArray(validationErrors) ? validationErrors.map((e) => e.message) : null,
    pongs,
  }));
} catch (error) {
  fail(error);
}
