/** Example operations shown in the GraphQL IDE, for partners and departments. */
export const EXAMPLE_OPERATIONS = `# Civic Graph — example operations. Pick one with the ▶ button.
# Partners: add your key under Headers as {"x-api-key": "cg_live_..."}.
# Staff: {"Authorization": "Bearer <token>"} (npm run civic -- token --role STAFF --department <id>).
# Documentation: /docs (authentication, roles, limits, pagination, error codes).

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

# The flagship view of one concern (take an id from PublishedConcerns).
query ConcernDetail($id: ID!) {
  concern(id: $id) {
    summary themes status neighborhood { name equityPriority }
    initiatives { code title status leadDepartment { name } measures { name target latest { period value } } }
    resources { name status organization { name kind } eligibility languages }
    suggestedResources(first: 5) { score reasons resource { name } }
  }
}

query WardConcerns($ward: Int = 1, $after: String) {
  concerns(filter: { ward: $ward }, first: 20, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id summary status supportCount neighborhood { name } } }
  }
}

# Departments are organizations of kind CITY_DEPARTMENT; pass one's id as $department.
query DepartmentInitiatives($department: ID!) {
  initiatives(department: $department) {
    code title status goal { number title }
    measures { name target latest { period value } }
  }
}

query DirectorySearch($text: String = "housing", $ward: Int) {
  services(text: $text, ward: $ward, first: 10) {
    totalCount
    edges { node { id name status languages organization { name kind } } }
  }
}

query EquityGapReport($ward: Int) {
  equityGapReport(ward: $ward) { neighborhood { name ward } theme equityPriority unalignedConcerns supportCount }
}

# Partners (x-api-key): your organization's services, then change one of them.
query MyOrganizationServices($organizationId: ID!) {
  organization(id: $organizationId) { id name services { id name status eligibility fees languages } }
}

mutation UpdateService($id: ID!, $input: UpdateServiceInput!) {
  updateService(id: $id, input: $input) { id name status eligibility updatedAt }
}
`;
