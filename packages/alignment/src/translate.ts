/**
 * Offline English↔Spanish machine translation through Debian's apertium (`apertium-eng-spa`),
 * one subprocess per batch. Without apertium every result is null; nothing here throws for that.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Language } from './types.ts';

const APERTIUM = '/usr/bin/apertium';
const MODES = '/usr/share/apertium/modes';

function mode(from: Language, to: Language): string {
  return `${from === 'en' ? 'eng' : 'spa'}-${to === 'en' ? 'eng' : 'spa'}`;
}

/** A batch normally takes a second or two; a translator that hangs must not hold the job that called it. */
const TIMEOUT_MS = 60_000;

let available: boolean | undefined;

export async function translatorAvailable(): Promise<boolean> {
  if (available === undefined) {
    available = existsSync(APERTIUM) && existsSync(`${MODES}/spa-eng.mode`) && existsSync(`${MODES}/eng-spa.mode`);
  }
  return available;
}

/** apertium marks words it does not know (*), could not generate (#) or has no transfer for (@). */
function clean(line: string): string {
  return line
    .replace(/(^|[\s(¿¡"'])[*@#]+(?=\S)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function oneLine(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Translates each text; `null` for a text that could not be translated (or for every text without apertium). */
export async function translate(texts: readonly string[], from: Language, to: Language): Promise<(string | null)[]> {
  if (texts.length === 0) return [];
  if (from === to) return texts.map((t) => t);
  if (!(await translatorAvailable())) return texts.map(() => null);
  const input = texts.map(oneLine);
  // apertium reads /dev/stdin, which Node's stdio (a socket) cannot stand in for: the batch goes in a file.
  const dir = await mkdtemp(join(tmpdir(), 'civic-translate-'));
  try {
    const file = join(dir, 'input.txt');
    await writeFile(file, `${input.join('\n')}\n`, 'utf8');
    const output = await new Promise<string>((resolve, reject) => {
      // -u: no unknown-word marks where the installed apertium honours it; clean() covers the rest.
      // Its own process group: apertium is a shell pipeline, and a stuck one is killed whole.
      const child = spawn(APERTIUM, ['-u', mode(from, to), file], {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      const timer = setTimeout(() => {
        reject(new Error(`apertium took over ${TIMEOUT_MS / 1000} s`));
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, TIMEOUT_MS);
      const chunks: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.resume();
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(Buffer.concat(chunks).toString('utf8'));
        else reject(new Error(`apertium exited with ${code}`));
      });
    });
    const lines = output.replace(/\n$/, '').split('\n');
    if (lines.length !== input.length) return texts.map(() => null);
    return lines.map((l, i) => (input[i] === '' ? '' : clean(l) || null));
  } catch {
    return texts.map(() => null);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
