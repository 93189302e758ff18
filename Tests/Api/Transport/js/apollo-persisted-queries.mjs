// Drives the server given as the first argument with Apollo Client's own PersistedQueryLink (hashed queries over GET),
// runs one query twice, and prints the results and every request that went over the wire as one JSON line.
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { createHash } from 'node:crypto';

const url = process.argv[2];
const deadline = setTimeout(() => { console.error('timed out after 15 s'); process.exit(1); }, 15_000);
const sent = [];

/** What a request carried: its method, whether it had the query's text, and the persisted query's hash. */
function record(input, init) {
  const method = init?.method ?? 'GET';
  let request;
  if (method === 'GET') {
    const params = new URL(typeof input === 'string' ? input : input.url).searchParams;
    request = { query: params.get('query'), extensions: params.has('extensions') ? JSON.parse(params.get('extensions')) : undefined };
  } else {
    request = JSON.parse(init.body);
  }
  sent.push({ method, withQuery: typeof request.query === 'string', sha256Hash: request.extensions?.persistedQuery?.sha256Hash ?? null });
}

const link = new PersistedQueryLink({
  sha256: (text) => createHash('sha256').update(text).digest('hex'),
  useGETForHashedQueries: true,
}).concat(new HttpLink({ uri: url, fetch: (input, init) => { record(input, init); return fetch(input, init); } }));
const client = new ApolloClient({ link, cache: new InMemoryCache() });
const query = gql`query Greeting($name: String) { hello(name: $name) }`;

try {
  const first = await client.query({ query, variables: { name: 'apollo' }, fetchPolicy: 'network-only' });
  const second = await client.query({ query, variables: { name: 'again' }, fetchPolicy: 'network-only' });
  clearTimeout(deadline);
  console.log(JSON.stringify({ results: [first.data?.hello, second.data?.hello], sent }));
} catch (error) {
  console.error(String(error?.stack ?? error));
  process.exit(1);
}
