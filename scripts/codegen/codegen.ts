import type { CodegenConfig } from '@graphql-codegen/cli';
import { UrlLoader } from '@graphql-tools/url-loader';
import { parse, printSchema } from 'graphql';

// The schema: the repository's schema.graphql (equal to what the API serves), or the running server itself when
// CARTGRAPH_URL is set (e.g. http://localhost:5080/graphql), introspected with the token in CARTGRAPH_TOKEN. Both give
// the same output (a test checks it). The operations are the documents the API's own end-to-end tests send
// (Api/Operations): an operation the schema no longer allows fails right here.
const url = process.env.CARTGRAPH_URL;
const schema: CodegenConfig['schema'] = url ? { [url]: servedSchema(process.env.CARTGRAPH_TOKEN ?? '') } : '../../schema.graphql';
// Where the files go: generated/ unless CODEGEN_OUTPUT names another folder.
const output = process.env.CODEGEN_OUTPUT ?? 'generated';

const config: CodegenConfig = {
  schema,
  config: {
    // Every custom scalar is mapped, so a new one fails here instead of becoming `any`.
    strictScalars: true,
    scalars: {
      Decimal: 'number', // exact on the server, a JSON number on the wire
      Long: 'number', // versions and positions, far below 2^53
      DateTime: 'string', // ISO-8601 in UTC
      JSON: 'unknown',
    },
    enumsAsTypes: true,
    useTypeImports: true,
  },
  generates: {
    // The schema's own types (Cart, CartStatus, the inputs, every error type) for a frontend's code.
    [`${output}/schema.ts`]: { plugins: ['typescript'] },
    // What each operation sends and gets back, and its document typed with both.
    [`${output}/graphql.ts`]: {
      documents: '../../Api/Operations/*.graphql',
      plugins: ['typescript-operations', 'typed-document-node'],
      config: { importSchemaTypesFrom: `./${output}/schema.ts` },
    },
    // The client preset (graphql() and typed documents), each document with its persisted-document id, and
    // persisted-documents.json: the same ids and texts as the API's trusted documents (`documents export`).
    [`${output}/client/`]: {
      documents: '../../Api/Operations/*.graphql',
      preset: 'client',
      presetConfig: { persistedDocuments: { hashAlgorithm: 'sha256' }, fragmentMasking: false },
    },
  },
};

/**
 * The served schema through Code Generator's own URL loader, sending graphql-js's introspection query with every option
 * on. NOTE: the loader hands it on as SDL, as schema.graphql is: the typescript plugin documents a scalar only when the
 * schema has SDL nodes, which an introspected schema lacks (plain `schema: url` works too, without the scalars' comments).
 */
function servedSchema(token: string) {
  return {
    headers: { Authorization: `Bearer ${token}` },
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
    oneOf: true,
    loader: async (pointer: string, options: object) => {
      const [source] = await new UrlLoader().load(pointer, options);
      if (!source?.schema) throw new Error(`No schema at ${pointer}`);
      return parse(printSchema(source.schema));
    },
  };
}

export default config;
