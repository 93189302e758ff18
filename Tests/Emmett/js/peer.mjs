// A Node service on Emmett 0.42 sharing a CartGraph database (Tests/Emmett/EmmettPeerSpecs.cs runs it).
// Usage: DATABASE_URL=postgresql://... node peer.mjs '<scenario JSON>'
// Prints one JSON document of what Emmett read and wrote; bigints are printed as strings.
import { STREAM_DOES_NOT_EXIST, isExpectedVersionConflictError } from '@event-driven-io/emmett';
import { callAppendToStream, getPostgreSQLEventStore, readMessagesBatch } from '@event-driven-io/emmett-postgresql';
import { dumbo, sql } from '@event-driven-io/dumbo';

const scenario = JSON.parse(process.argv[2]);
const connectionString = process.env.DATABASE_URL;

// 'None': Emmett's own migrations expect its full function set and its migration table, not CartGraph's schema.
const store = getPostgreSQLEventStore(connectionString, { schema: { autoMigration: 'None' } });
const pool = dumbo({ connectionString });

const read = (result) => ({
  currentStreamVersion: result.currentStreamVersion,
  events: result.events.map(({ type, data, metadata }) => ({ type, data, metadata })),
});

const appended = ({ nextExpectedStreamVersion, lastEventGlobalPosition }) => ({ nextExpectedStreamVersion, lastEventGlobalPosition });

const refusal = async (append) => {
  try {
    return { refused: false, result: appended(await append()) };
  } catch (error) {
    return { refused: true, isConcurrencyError: isExpectedVersionConflictError(error), errorCode: error.errorCode, message: error.message };
  }
};

// Emmett's appendToStream has no partition: the same call as its own, into a partition of our choosing.
const appendInPartition = async (partition, streamId, streamType, expected, messages) => {
  const quoted = (values) => values.map((value) => sql('%L', value)).join(',');
  const { rows } = await pool.execute.command(callAppendToStream({
    messageIds: quoted(messages.map(() => crypto.randomUUID())),
    messagesData: quoted(messages.map((m) => JSON.stringify(m.data))),
    messagesMetadata: quoted(messages.map((m) => JSON.stringify(m.metadata ?? {}))),
    schemaVersions: quoted(messages.map(() => '1')),
    messageTypes: quoted(messages.map((m) => m.type)),
    messageKinds: quoted(messages.map(() => 'E')),
    streamId,
    streamType,
    expectedStreamPosition: expected === null ? 'NULL' : String(expected),
    partition,
  }));
  return rows[0];
};

try {
  const { tenant, cartId, sharedCart, ownStream, probeStream, newTenant } = scenario;
  const metadata = { correlationId: `emmett-${ownStream}`, causationId: 'peer.mjs' };
  const output = {};

  // (a) A cart stream CartGraph wrote in a tenant partition.
  output.cart = read(await store.readStream(cartId, { partition: tenant }));

  // (b) A stream of its own: two appends, then two that must fail (a wrong position, "must not exist").
  output.appends = [
    appended(await store.appendToStream(ownStream, [
      { type: 'OrderPlaced', data: { orderId: ownStream, lines: 2 }, metadata },
      { type: 'OrderConfirmed', data: { by: 'node' }, metadata },
    ])),
    appended(await store.appendToStream(ownStream, [{ type: 'OrderShipped', data: { carrier: 'post' } }], { expectedStreamVersion: 2n })),
  ];
  output.wrongVersion = await refusal(() => store.appendToStream(ownStream, [{ type: 'Lost', data: {} }], { expectedStreamVersion: 1n }));
  output.alreadyExists = await refusal(() => store.appendToStream(ownStream, [{ type: 'Lost', data: {} }], { expectedStreamVersion: 0n }));
  output.own = read(await store.readStream(ownStream));

  // What 0.42 makes of a partition option and of STREAM_DOES_NOT_EXIST on appends.
  output.probe = [
    await refusal(() => store.appendToStream(probeStream, [{ type: 'Probed', data: { n: 1 } }], { partition: tenant, expectedStreamVersion: 0n })),
    await refusal(() => store.appendToStream(probeStream, [{ type: 'Probed', data: { n: 2 } }], { expectedStreamVersion: STREAM_DOES_NOT_EXIST })),
  ];

  // (c) A tenant's stream through Emmett's emt_append_to_stream call: a cart item, then a stale position.
  const item = { type: 'ItemAddedToCart', data: { item: { sku: 'SKU-789', name: 'Item 789', quantity: 3, unitPrice: 5 } }, metadata };
  output.tenantAppend = await appendInPartition(tenant, sharedCart.id, 'cart', sharedCart.version, [item]);
  output.tenantStale = await appendInPartition(tenant, sharedCart.id, 'cart', sharedCart.version, [item]);
  output.sharedCart = read(await store.readStream(sharedCart.id, { partition: tenant }));

  // (d) Emmett's consumer read of the tenant, in commit order, as far as it is visible now.
  const batch = await readMessagesBatch(pool.execute, { partition: tenant, from: 0n, batchSize: 10000 });
  output.tenantMessages = batch.messages.map(({ metadata: m }) => ({ streamName: m.streamName, streamPosition: m.streamPosition, globalPosition: m.globalPosition }));

  // (e) A tenant of its own, provisioned with Emmett's partition helper.
  await pool.execute.command(sql('SELECT emt_add_partition(%L)', newTenant));
  output.newTenantAppend = await appendInPartition(newTenant, 'welcome', 'note', 0, [{ type: 'Noted', data: { by: 'node' } }]);

  process.stdout.write(JSON.stringify(output, (_, value) => (typeof value === 'bigint' ? value.toString() : value)));
} finally {
  await pool.close();
  await store.close();
}
