import { describe, expect, it } from 'vitest';
import { parseCsv, validateConcernCsv } from '../src/staff/csv.ts';

const NEIGHBORHOODS = [{ id: 'n-east', name: 'East Durham', slug: 'east-durham' }];

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n"multi\nline",2\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['multi\nline', '2'],
    ]);
  });

  it('skips blank lines and keeps a last line without a newline', () => {
    expect(parseCsv('a\n\n1\n2')).toEqual([['a'], ['1'], ['2']]);
  });
});

describe('validateConcernCsv', () => {
  it('finds a neighborhood by its published Spanish name or a demo-era alias, case-insensitively', () => {
    const published = [
      {
        id: 'n-south',
        name: 'Southside / St. Teresa',
        slug: 'southside-st-teresa',
        nameEs: 'Southside / Santa Teresa',
        aliases: ['Hayti', 'Southside'],
      },
    ];
    const { rows } = validateConcernCsv(
      'summary,neighborhood\nA,HAYTI\nB,southside / santa teresa\nC,Southside / St. Teresa\nD,Smallhouse Rd\n',
      published,
    );
    expect(rows.map((r) => r.input.neighborhoodId)).toEqual(['n-south', 'n-south', 'n-south', undefined]);
    expect(rows[3]?.problems).toEqual([{ key: 'csv.badNeighborhood', value: 'Smallhouse Rd' }]);
  });

  it('maps good rows to concern inputs: theme codes or labels (English or Spanish), neighborhood by name or slug', () => {
    const { rows, fileProblems } = validateConcernCsv(
      'summary,themes,language,neighborhood,supportCount\nBroken sidewalks,Infrastructure;vivienda,en,East Durham,3\nMás luz,PARKS_RECREATION,es,east-durham,\n',
      NEIGHBORHOODS,
    );
    expect(fileProblems).toEqual([]);
    expect(rows.map((r) => r.problems)).toEqual([[], []]);
    expect(rows[0]?.input).toEqual({
      summary: 'Broken sidewalks',
      themes: ['INFRASTRUCTURE', 'HOUSING'],
      language: 'en',
      neighborhoodId: 'n-east',
      supportCount: 3,
    });
    expect(rows[1]?.input).toEqual({
      summary: 'Más luz',
      themes: ['PARKS_RECREATION'],
      language: 'es',
      neighborhoodId: 'n-east',
    });
  });

  it('reports every problem of a bad row with its line number', () => {
    const { rows } = validateConcernCsv(
      `summary,themes,language,neighborhood,supportCount\nok,,,,\n,NOPE,english,Atlantis,-1\n${'x'.repeat(501)},,,,\n`,
      NEIGHBORHOODS,
    );
    expect(rows.map((r) => [r.line, r.problems.map((p) => p.key)])).toEqual([
      [2, []],
      [3, ['csv.summaryRequired', 'csv.badTheme', 'csv.badLanguage', 'csv.badNeighborhood', 'csv.badSupport']],
      [4, ['csv.summaryLong']],
    ]);
    expect(rows[1]?.problems.find((p) => p.key === 'csv.badNeighborhood')?.value).toBe('Atlantis');
  });

  it('refuses a file without a summary column or without rows', () => {
    expect(validateConcernCsv('title\nx\n', NEIGHBORHOODS).fileProblems.map((p) => p.key)).toEqual([
      'csv.noSummaryColumn',
    ]);
    expect(validateConcernCsv('summary\n', NEIGHBORHOODS).fileProblems.map((p) => p.key)).toEqual(['csv.noRows']);
    expect(validateConcernCsv('', NEIGHBORHOODS).fileProblems.map((p) => p.key)).toEqual(['csv.noRows']);
  });
});
