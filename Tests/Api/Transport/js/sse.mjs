// Runs one operation with the graphql-sse client in distinct connections mode (one SSE request per operation) and
// prints each result as one JSON line, then {"complete":true}, or {"failed":<status or message>} when the request is
// refused before its stream starts. Disposes the client after `take` results (0: wait for the server to complete).
// Usage: node sse.mjs <url> <token or -> <request JSON> <take>
import { createClient } from 'graphql-sse';

const [url, token, requestJson, takeText] = process.argv.slice(2);
const take = Number(takeText);
const client = createClient({
  url,
  singleConnection: false,
  retryAttempts: 0,
  headers: token === '-' ? {} : { authorization: `Bearer ${token}` },
});

let seen = 0;
try {
  for await (const result of client.iterate(JSON.parse(requestJson))) {
    console.log(JSON.stringify(result));
    if (take > 0 && ++seen >= take) break; // leaving the loop closes the request: the server must stop the subscription
  }
  console.log(JSON.stringify({ complete: true }));
} catch (error) {
  console.log(JSON.stringify({ failed: error?.response?.status ?? String(error) }));
} finally {
  client.dispose();
}
