/** Example operations shown in the GraphQL IDE, for partners and departments. */
export const EXAMPLE_OPERATIONS = `# Civic Graph — example operations. Pick one with the ▶ button.
# Partners: add your key under Headers as {"x-api-key": "cg_live_..."}.
# Staff: {"Authorization": "Bearer <token>"} (npm run civic -- token --role STAFF --department <id>).

query StrategicPlan {
  goals {
    number
    title
    initiatives { code title status leadDepartment { name } }
  }
}

query Initiatives {
  initiatives { id code title status leadDepartment { id name kind } }
}

query PublishedConcerns($first: Int = 10, $after: String) {
  concerns(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id summary themes status supportCount neighborhood { name ward equityPriority } } }
  }
}

query Neighborhoods {
  neighborhoods { id name ward equityPriority }
}

query ResourceDirectory {
  organizations { id name kind internal services { id name status } }
}
`;
