import { useQuery } from 'urql';
import { graphql } from './graphql.ts';

const InitiativeListQuery = graphql(`
  query InitiativeList_Plan {
    goals {
      id
      number
      title
      initiatives {
        id
        code
        title
        status
        leadDepartment {
          id
          name
        }
      }
    }
  }
`);

export function InitiativeList() {
  const [{ data, fetching, error }] = useQuery({ query: InitiativeListQuery });
  if (fetching) return <p role="status">Loading the strategic plan…</p>;
  if (error && !data) return <p role="alert">The strategic plan could not be loaded.</p>;
  return (
    <section aria-labelledby="plan-heading">
      <h2 id="plan-heading">Strategic plan</h2>
      {data?.goals.map((goal) => (
        <article key={goal.id}>
          <h3>
            Goal {goal.number}: {goal.title}
          </h3>
          <ul>
            {goal.initiatives.map((initiative) => (
              <li key={initiative.id}>
                <strong>{initiative.code}</strong> {initiative.title}
                {initiative.leadDepartment ? <span> · led by {initiative.leadDepartment.name}</span> : null}
              </li>
            ))}
          </ul>
        </article>
      ))}
    </section>
  );
}
