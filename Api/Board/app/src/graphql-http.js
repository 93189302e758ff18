// Queries and mutations as GraphQL-over-HTTP POSTs to the API, with the board's bearer token.

/** The request was not answered with data: a refused token, a malformed document, a server fault. */
export class RequestError extends Error {}

/**
 * @param {{ endpoint: URL, authorization: string }} session
 * @returns {Promise<any>} the response's `data`
 */
export async function post(session, query, variables) {
  let response;
  try {
    response = await fetch(session.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/graphql-response+json, application/json',
        Authorization: session.authorization,
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new RequestError(`The API did not answer (${error.message}).`);
  }
  const body = await response.json().catch(() => null);
  if (body?.errors?.length) throw new RequestError(body.errors.map(e => e.message).join(' '));
  if (response.status === 401) throw new RequestError('The API refused the token (401).');
  if (!response.ok || body?.data == null) throw new RequestError(`The API answered ${response.status} without data.`);
  return body.data;
}
