/** Runs the real `practicus-infra` command (bin/ → build/, so `npm run build` must have run). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';

/** The repository root. */
export const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'bin', 'practicus-infra');

/** What one run of the command did. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `practicus-infra ...args` in `cwd` (default: the repository root). */
export function runCli(args: readonly string[], cwd = REPO): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, PRACTICUS_INFRA_DEBUG: '' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'practicus-infra-test-'));
}

/** Writes `{ platform: document }` as YAML into a temp dir and returns its path. */
export function writeSpec(document: unknown, dir = tempDir(), name = 'spec.yaml'): string {
  const file = path.join(dir, name);
  writeFileSync(file, stringify({ platform: document }));
  return file;
}

/** Every file under `dir` with its content, keyed by relative path (sorted). */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current).sort()) {
      const full = path.join(current, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out[path.relative(dir, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}
