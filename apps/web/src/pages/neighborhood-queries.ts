import { graphql } from '../graphql.ts';
import { ConversationConcernItemFragment } from './ConversationConcernItem.tsx';

/** The neighborhood page's queries (apart from the page, so test/neighborhood-page-cost.test.ts can measure them). */
export const NeighborhoodPageQuery = graphql(
  `
  query NeighborhoodPage($id: ID!) {
    neighborhood(id: $id) {
      id
      name
      nameEs
      ward
      wards
      schoolZone
      schoolZoneEs
      equityPriority
      equityPriorityReasons {
        clause
        conditions {
          indicator
          comparison
          threshold
          value
        }
      }
      indicators {
        key
        unit
        value
        vintage
        source
        marginOfError
      }
    }
    concerns(filter: { neighborhoodId: $id }, orderBy: MOST_SUPPORTED, first: 50) {
      totalCount
      edges {
        node {
          id
          ...ConversationConcernItem_Concern
        }
      }
    }
    conversations(filter: { neighborhoodId: $id }, first: 50) {
      edges {
        node {
          id
          title
          heldOn
        }
      }
    }
  }
`,
  [ConversationConcernItemFragment],
);

// What reaches it, named in the reader's language (a machine translation is labelled): the services
// serving it and the titles of the plan's initiatives (the page shows those its concerns are aligned
// with). Apart from the page's query, which the gateway's cost limit would refuse with them.
export const ReachesItQuery = graphql(`
  query NeighborhoodPage_ReachesIt($id: ID!, $language: String!) {
    services(neighborhoodId: $id, statuses: [ACTIVE], first: 50) {
      totalCount
      edges {
        node {
          id
          name
          content(language: $language, fields: ["name"]) {
            field
            text
            language
            machineTranslated
            original
          }
          organization {
            id
            name
          }
        }
      }
    }
    initiatives {
      id
      content(language: $language, fields: ["title"]) {
        field
        text
        language
        machineTranslated
        original
      }
    }
  }
`);
