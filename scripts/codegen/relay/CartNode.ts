// Relay's reading of the schema, checked by relay-compiler in `npm run check`: a query through node(id:), and a
// fragment Relay can refetch by the cart's global id (@refetchable needs interface Node, Query.node and Cart.id).
// relay-compiler finds `graphql` tagged templates by name; in an app, Relay's Babel plugin replaces them.
const graphql = (strings: TemplateStringsArray): string => strings.join('');

export const cartNodeQuery = graphql`
  query CartNodeQuery($id: ID!) {
    node(id: $id) {
      __typename
      id
      ...CartNode_cart @alias
    }
  }
`;

export const cartFragment = graphql`
  fragment CartNode_cart on Cart @refetchable(queryName: "CartNodeRefetchQuery") {
    id
    cartId
    status
    total
    version
  }
`;
