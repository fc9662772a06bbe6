import { describe, expect, it } from 'vitest';
import { parseCsv, readCsvRecords, validateConcernCsv } from '../src/staff/csv.ts';

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

describe('readCsvRecords', () => {
  it('numbers records as a spreadsheet does: a quoted line break stays in its row, blank lines count', () => {
    const records = readCsvRecords('summary,detail\n"a","two\nlines"\n\nb,c\n');
    expect(records.map((r) => [r.row, r.cells, r.problem])).toEqual([
      [1, ['summary', 'detail'], undefined],
      [2, ['a', 'two\nlines'], undefined],
      [3, [''], undefined],
      [4, ['b', 'c'], undefined],
    ]);
  });

  it('reports a quote that never closes on its own row and reads the rows after it', () => {
    const records = readCsvRecords('summary,themes\n"Broken sidewalks,INFRASTRUCTURE\nPotholes,INFRASTRUCTURE\n');
    expect(records.map((r) => [r.row, r.problem ?? 'ok', r.text])).toEqual([
      [1, 'ok', 'summary,themes'],
      [2, 'csv.quoteNotClosed', '"Broken sidewalks,INFRASTRUCTURE'],
      [3, 'ok', 'Potholes,INFRASTRUCTURE'],
    ]);
  });

  it("reports a quote closed by a later row's opening quote as not closed, keeping the later row", () => {
    const records = readCsvRecords('summary,themes\n"Broken sidewalks,INFRASTRUCTURE\n"Potholes",INFRASTRUCTURE\n');
    expect(records.map((r) => [r.row, r.problem ?? 'ok'])).toEqual([
      [1, 'ok'],
      [2, 'csv.quoteNotClosed'],
      [3, 'ok'],
    ]);
    expect(records[2]?.cells).toEqual(['Potholes', 'INFRASTRUCTURE']);
  });

  it('refuses a quote inside an unquoted field and text after a closing quote, as csv-parse does', () => {
    const records = readCsvRecords('summary\nthe "big" hole\n"closed"then more\nfine\n');
    expect(records.map((r) => r.problem ?? 'ok')).toEqual(['ok', 'csv.quoteInField', 'csv.textAfterQuote', 'ok']);
  });
});

describe('validateConcernCsv', () => {
  it('marks a row with an unbalanced quote as an error naming the problem, the other rows unchanged', () => {
    const { rows } = validateConcernCsv(
      'summary,themes,supportCount\nSidewalks,INFRASTRUCTURE,4\n"Rent is rising,HOUSING,7\nMás luz,PARKS_RECREATION,2\n',
      NEIGHBORHOODS,
    );
    expect(rows.map((r) => [r.line, r.input.summary, r.problems.map((p) => p.key)])).toEqual([
      [2, 'Sidewalks', []],
      [3, '', ['csv.quoteNotClosed']],
      [4, 'Más luz', []],
    ]);
    expect(rows[1]?.written).toBe('"Rent is rising,HOUSING,7');
  });

  it('reads the moderation and mentionCount columns, case-insensitively, and refuses other values', () => {
    const { rows } = validateConcernCsv(
      'summary,moderation,mentionCount\nA,accepted,3\nB,REJECTED,\nC,,\nD,maybe,-2\n',
      NEIGHBORHOODS,
    );
    expect(rows.map((r) => [r.input.moderation, r.input.mentionCount])).toEqual([
      ['ACCEPTED', 3],
      ['REJECTED', undefined],
      [undefined, undefined],
      [undefined, -2],
    ]);
    expect(rows[3]?.problems.map((p) => p.key)).toEqual(['csv.badMention', 'csv.badModeration']);
  });

  it('reads latitude and longitude as a point, both or neither, in decimal degrees', () => {
    const { rows } = validateConcernCsv(
      'summary,latitude,longitude\nA,36.0202,-78.9152\nB,,\nC,36.02,\nD,north,-78.9\nE,95,-78.9\n',
      NEIGHBORHOODS,
    );
    expect(rows.map((r) => r.input.location)).toEqual([
      { latitude: 36.0202, longitude: -78.9152 },
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(rows.map((r) => r.problems.map((p) => p.key))).toEqual([
      [],
      [],
      ['csv.locationHalf'],
      ['csv.badLocation'],
      ['csv.badLocation'],
    ]);
  });

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
