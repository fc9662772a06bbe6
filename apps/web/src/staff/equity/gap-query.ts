import { graphql } from '../../graphql.ts';

/** The equity gap page's one query (its own module, so the cost test reads it without the page's map). */
export const EquityGapQuery = graphql(`
  query EquityGapPage_Report($ward: Int) {
    equityGapReport(ward: $ward) {
      equityPriority
      theme
      unalignedConcerns
      supportCount
      neighborhood {
        id
        name
        ward
      }
    }
    serviceCoverageMatrix {
      neighborhoodIds
      themes
      activeServiceCounts
    }
    accountabilityReport {
      citywide {
        equityPriority
        neighborhood {
          id
          name
          ward
        }
        concerns
        answered
        medianDaysToFirstResponse
        medianDaysToAddressed
        shareAnsweredWithin30Days
      }
      byEquityPriority {
        equityPriority
        neighborhood {
          id
          name
          ward
        }
        concerns
        answered
        medianDaysToFirstResponse
        medianDaysToAddressed
        shareAnsweredWithin30Days
      }
      byNeighborhood {
        equityPriority
        neighborhood {
          id
          name
          ward
        }
        concerns
        answered
        medianDaysToFirstResponse
        medianDaysToAddressed
        shareAnsweredWithin30Days
      }
    }
  }

`);
