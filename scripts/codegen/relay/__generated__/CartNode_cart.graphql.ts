/**
 * @generated SignedSource<<3a26dbf27ed3c056287d62afb58669f7>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type CartStatus = "ACTIVE" | "CANCELLED" | "CHECKED_OUT" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type CartNode_cart$data = {
  readonly cartId: string;
  readonly id: string;
  readonly status: CartStatus;
  readonly total: number;
  readonly version: number;
  readonly " $fragmentType": "CartNode_cart";
};
export type CartNode_cart$key = {
  readonly " $data"?: CartNode_cart$data;
  readonly " $fragmentSpreads": FragmentRefs<"CartNode_cart">;
};

import CartNodeRefetchQuery_graphql from './CartNodeRefetchQuery.graphql';

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": {
    "refetch": {
      "connection": null,
      "fragmentPathInResult": [
        "node"
      ],
      "operation": CartNodeRefetchQuery_graphql,
      "identifierInfo": {
        "identifierField": "id",
        "identifierQueryVariableName": "id"
      }
    }
  },
  "name": "CartNode_cart",
  "selections": [
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "id",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "cartId",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "status",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "total",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "version",
      "storageKey": null
    }
  ],
  "type": "Cart",
  "abstractKey": null
};

(node as any).hash = "c69c8db2b328f9ab5f92694931d6fb4f";

export default node;
