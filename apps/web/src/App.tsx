import { InitiativeList } from './InitiativeList.tsx';

export function App() {
  return (
    <>
      <header>
        <h1>Civic Graph</h1>
        <p>What residents said, and what the city is doing about it.</p>
      </header>
      <main>
        <InitiativeList />
      </main>
    </>
  );
}
