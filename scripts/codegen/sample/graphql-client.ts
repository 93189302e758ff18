// A minimal typed GraphQL client for CartGraph: queries and mutations as POST over fetch, subscriptions over
// graphql-transport-ws (the graphql-ws client). Any TypedDocumentNode from generated/graphql.ts fixes both the
// variables a call takes and the data it returns.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';

export type Variables = Record<string, unknown>;

export interface CartGraphConnection {
  /** The GraphQL endpoint, e.g. http://localhost:5080/graphql. */
  readonly endpoint: URL;
  /** A bearer token naming the tenants this client acts for (`dotnet run --project Api -- token --tenant demo`). */
  readonly token: string;
}

/** A request answered with GraphQL errors (not payload errors: those are data, typed in each payload's `errors`). */
export class GraphQLRequestError extends Error {
  constructor(readonly status: number, readonly errors: FormattedExecutionResult['errors']) {
    super(errors?.map(e => e.message).join('; ') ?? `HTTP ${status}`);
  }
}

/** Runs a query or mutation over HTTP POST and returns its data. */
export async function request<TData, TVariables extends Variables>(
  connection: CartGraphConnection,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Promise<TData> {
  const response = await fetch(connection.endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json',
      Authorization: `Bearer ${connection.token}`,
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const result = (await response.json()) as FormattedExecutionResult<TData>;
  if (result.errors?.length || result.data == null) throw new GraphQLRequestError(response.status, result.errors);
  return result.data;
}

/** One WebSocket for every subscription; the token goes in connection_init, as the server asks. */
export function socketFor(connection: CartGraphConnection): Client {
  const url = new URL(connection.endpoint);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return createClient({ url: url.toString(), connectionParams: { authorization: `Bearer ${connection.token}` } });
}

/** Starts a subscription; each result's data goes to `onData`. Returns the function that ends it. */
export function subscribe<TData, TVariables extends Variables>(
  socket: Client,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  onData: (data: TData) => void,
  onEnd: (error?: unknown) => void = () => {},
): () => void {
  return socket.subscribe<TData>(
    { query: print(document), variables },
    {
      next: result => {
        if (result.data != null) onData(result.data);
      },
      error: error => onEnd(error),
      complete: () => onEnd(),
    },
  );
}
