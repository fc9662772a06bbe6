// Placeholder until `seed --scale N` is built in this change; it fails loudly rather than pretending.
export const seedHelp = 'civic seed — load demo data, or a deterministic synthetic dataset with --scale N';

export async function seed(_args: string[]): Promise<number> {
  console.error('civic seed: not built yet');
  return 1;
}
