import type { CodegenConfig } from '@graphql-codegen/cli';

// From the served schema (the repository's schema.graphql, equal to what the API serves) and the operation documents
// the API's own end-to-end tests send (Api/Operations): an operation the schema no longer allows fails right here.
const config: CodegenConfig = {
  schema: '../../schema.graphql',
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
    'generated/schema.ts': { plugins: ['typescript'] },
    // What each operation sends and gets back, and its document typed with both.
    'generated/graphql.ts': {
      documents: '../../Api/Operations/*.graphql',
      plugins: ['typescript-operations', 'typed-document-node'],
      config: { importSchemaTypesFrom: './generated/schema.ts' },
    },
  },
};

export default config;
