import type { Connection } from './client.ts';
import { graphql, type ResultOf, type VariablesOf } from './graphql.ts';

/**
 * Typed operations for what departments and partners do with the Civic Graph API.
 * Each is checked against the published API schema; `XResult` and `XVariables` are its types.
 */

/** Published concerns, filtered (ward, neighborhood, themes, status, equity priority, text), one page at a time. */
export const PublishedConcerns = graphql(`
  query PublishedConcerns($filter: ConcernFilter, $orderBy: ConcernOrder, $first: Int, $after: String) {
    concerns(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          summary
          detail
          themes
          status
          language
          supportCount
          mentionCount
          ward
          cityResponse
          createdAt
          updatedAt
          neighborhood { id name ward equityPriority }
          conversation { id title heldOn }
        }
      }
    }
  }
`);
export type PublishedConcernsResult = ResultOf<typeof PublishedConcerns>;
export type PublishedConcernsVariables = VariablesOf<typeof PublishedConcerns>;
export type PublishedConcern = PublishedConcernsResult['concerns']['edges'][number]['node'];
/** The connection of a PublishedConcerns result, for `client.paginate`. */
export const publishedConcernsPage = (data: PublishedConcernsResult): Connection<PublishedConcern> => data.concerns;

/** The flagship view of one concern: where it is, the initiatives that address it and the resources for it. */
export const ConcernDetail = graphql(`
  query ConcernDetail($id: ID!) {
    concern(id: $id) {
      id
      summary
      detail
      themes
      status
      supportCount
      cityResponse
      neighborhood { name ward equityPriority }
      initiatives {
        code
        title
        status
        leadDepartment { name }
        measures { name target latest { period value } }
      }
      resources { name status organization { name kind } eligibility languages }
      suggestedResources(first: 5) { score reasons resource { id name } }
    }
  }
`);
export type ConcernDetailResult = ResultOf<typeof ConcernDetail>;
export type ConcernDetailVariables = VariablesOf<typeof ConcernDetail>;

/** City departments (for a department picker). */
export const Departments = graphql(`
  query Departments {
    organizations(kinds: [CITY_DEPARTMENT]) { id name alternateName }
  }
`);
export type DepartmentsResult = ResultOf<typeof Departments>;

/** Who the credentials belong to: role, organization (partner key) or department (staff token), abilities. */
export const WhoAmI = graphql(`
  query WhoAmI {
    viewer { role subject organizationId organization { id name kind } abilities }
  }
`);
export type WhoAmIResult = ResultOf<typeof WhoAmI>;

/** Initiatives a department leads or partners on, with status, goal and each measure's latest value. */
export const DepartmentInitiatives = graphql(`
  query DepartmentInitiatives($department: ID!, $status: InitiativeStatus) {
    initiatives(department: $department, status: $status) {
      id
      code
      title
      status
      targetDate
      goal { number title }
      leadDepartment { id name }
      measures { id name unit target targetLabel trend latest { period value } }
    }
  }
`);
export type DepartmentInitiativesResult = ResultOf<typeof DepartmentInitiatives>;
export type DepartmentInitiativesVariables = VariablesOf<typeof DepartmentInitiatives>;

/** One initiative by id or plan code, with its measures, status history, concerns and resources. */
export const InitiativeDetail = graphql(`
  query InitiativeDetail($id: ID, $code: String) {
    initiative(id: $id, code: $code) {
      id
      code
      title
      description
      status
      startDate
      targetDate
      whyItMatters
      whatWeHaveBeenDoing
      whatsNext
      themes
      goal { number title }
      objective { code title }
      leadDepartment { id name }
      partnerDepartments { id name }
      statusHistory { status note changedAt }
      measures {
        id
        name
        unit
        direction
        target
        targetLabel
        trend
        latest { period value }
        observations { period label value }
      }
      concerns { id summary status supportCount neighborhood { name } }
      resources { id name status organization { name } }
      viewerCanEdit
      sourceUrl
    }
  }
`);
export type InitiativeDetailResult = ResultOf<typeof InitiativeDetail>;
export type InitiativeDetailVariables = VariablesOf<typeof InitiativeDetail>;

/** The resource directory: services by text, theme, area, language, provider kind and status. */
export const DirectorySearch = graphql(`
  query DirectorySearch(
    $text: String
    $themes: [Theme!]
    $neighborhoodId: ID
    $ward: Int
    $language: String
    $organizationKinds: [OrganizationKind!]
    $internal: Boolean
    $statuses: [ServiceStatus!]
    $first: Int
    $after: String
  ) {
    services(
      text: $text
      themes: $themes
      neighborhoodId: $neighborhoodId
      ward: $ward
      language: $language
      organizationKinds: $organizationKinds
      internal: $internal
      statuses: $statuses
      first: $first
      after: $after
    ) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          name
          description
          status
          internal
          themes
          languages
          eligibility
          fees
          url
          organization { id name kind }
          serviceArea { citywide wards neighborhoodNames }
        }
      }
    }
  }
`);
export type DirectorySearchResult = ResultOf<typeof DirectorySearch>;
export type DirectorySearchVariables = VariablesOf<typeof DirectorySearch>;
export type DirectoryService = DirectorySearchResult['services']['edges'][number]['node'];
export const directoryPage = (data: DirectorySearchResult): Connection<DirectoryService> => data.services;

/** A partner's own organization with its services (a PARTNER key reads its organization by id). */
export const MyOrganizationServices = graphql(`
  query MyOrganizationServices($organizationId: ID!) {
    organization(id: $organizationId) {
      id
      name
      kind
      services {
        id
        name
        status
        description
        eligibility
        fees
        languages
        themes
        url
        email
        applicationProcess
        serviceArea { citywide wards neighborhoodIds description }
        updatedAt
      }
    }
  }
`);
export type MyOrganizationServicesResult = ResultOf<typeof MyOrganizationServices>;
export type MyOrganizationServicesVariables = VariablesOf<typeof MyOrganizationServices>;

/** Changes one service (a PARTNER may change its own organization's services); every change is logged. */
export const UpdateService = graphql(`
  mutation UpdateService($id: ID!, $input: UpdateServiceInput!) {
    updateService(id: $id, input: $input) {
      id
      name
      status
      description
      eligibility
      fees
      languages
      themes
      updatedAt
      changes { fieldName previousValue replacementValue updatedBy lastActionDate }
    }
  }
`);
export type UpdateServiceResult = ResultOf<typeof UpdateService>;
export type UpdateServiceVariables = VariablesOf<typeof UpdateService>;

/** Published concerns nothing is aligned with yet, by neighborhood and theme (optionally one ward). */
export const EquityGapReport = graphql(`
  query EquityGapReport($ward: Int) {
    equityGapReport(ward: $ward) {
      neighborhood { id name ward }
      theme
      equityPriority
      unalignedConcerns
      supportCount
    }
  }
`);
export type EquityGapReportResult = ResultOf<typeof EquityGapReport>;
export type EquityGapReportVariables = VariablesOf<typeof EquityGapReport>;
