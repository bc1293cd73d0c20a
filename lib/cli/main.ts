/**
 * The `practicus-infra` command: synth, validate, plan, explain and schema.
 *
 * Exit codes:
 *   0  success
 *   1  the spec has problems (each printed as `path: message`); nothing written
 *   2  the command line is wrong (unknown command or option, conflicting options)
 *   3  the output could not be written (e.g. --out names a directory synth did not write)
 *   4  an internal error (a bug in practicus-infra; set PRACTICUS_INFRA_DEBUG=1 for the stack)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { formatProblem, notDeployedYet, specFileJsonSchema, SpecError, stackFileJsonSchema, validatePlatform } from '../spec';
import { explainPlatformUrl, ExplainUrlError, formatExplainReport, parseExplainUrl } from './explain';
import { loadPlatform, readInput, type InputOptions } from './input';
import { OutputError, synthFiles, writeTreeAtomically } from './synth';

/** Exit codes of the command (see the module comment). */
export const EXIT = { ok: 0, specProblems: 1, usage: 2, output: 3, internal: 4 } as const;

/** Where the command writes; tests pass their own. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
}

const defaultIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
};

function inputOptions(command: Command): Command {
  return command
    .addOption(new Option('-f, --file <spec>', 'a spec file (YAML or JSON, top key "platform")').conflicts('stack'))
    .addOption(new Option('-s, --stack <name>', 'a stack of the Pulumi project here (Pulumi.<name>.yaml)').default(undefined, 'dev'));
}

/** Prints what the spec says that this version does not deploy yet, on stderr. */
function printNotices(io: Io, platform: Parameters<typeof notDeployedYet>[0]): void {
  for (const notice of notDeployedYet(platform)) io.err(`note: ${notice}\n`);
}

function countModels(platform: { regions: readonly { modelPrefixes: readonly { models: readonly unknown[] }[] }[] }): number {
  return platform.regions.reduce((sum, r) => sum + r.modelPrefixes.reduce((s, p) => s + p.models.length, 0), 0);
}

function buildProgram(io: Io): Command {
  const program = new Command('practicus-infra')
    .description('Synthesize, validate and plan a multi-region ML platform from one spec.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run practicus-infra --help for usage)');

  inputOptions(program.command('synth'))
    .description('write the Kubernetes manifests, one folder per region')
    .option('-o, --out <dir>', 'output directory', 'dist')
    .action((options: InputOptions & { out: string }) => {
      const { platform, source } = loadPlatform(options, io.cwd);
      const files = synthFiles(platform);
      const outDir = path.resolve(io.cwd, options.out);
      writeTreeAtomically(outDir, files);
      printNotices(io, platform);
      const perRegion = platform.regions.map((region) => {
        const count = [...files.keys()].filter((file) => file.startsWith(`${region.name}/`)).length;
        return `  ${region.name}/  ${count} objects (namespace ${region.namespace}, ${region.cloud} ${region.location})`;
      });
      io.out(
        `synthesized ${platform.name} (${platform.environment}) from ${path.relative(io.cwd, source.file) || source.file} into ${path.relative(io.cwd, outDir) || '.'}/\n${perRegion.join('\n')}\n`,
      );
    });

  inputOptions(program.command('validate'))
    .description('check a spec and print every problem as "path: message"')
    .option('--json', 'print {"ok": bool, "problems": [{"path", "message"}]}')
    .action((options: InputOptions & { json?: boolean }) => {
      const source = readInput(options, io.cwd);
      const result = validatePlatform(source.document);
      const file = path.relative(io.cwd, source.file) || source.file;
      if (options.json) {
        io.out(`${JSON.stringify({ ok: result.ok, file, problems: result.problems }, null, 2)}\n`);
      } else if (result.ok) {
        printNotices(io, result.platform);
        io.out(
          `${file}: valid — platform ${result.platform.name} (${result.platform.environment}), ${result.platform.regions.length} regions, ${countModels(result.platform)} models\n`,
        );
      } else {
        io.out(`${file}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}\n${result.problems.map(formatProblem).join('\n')}\n`);
      }
      if (!result.ok) process.exitCode = EXIT.specProblems;
    });

  inputOptions(program.command('plan'))
    .description('run the Pulumi program offline (mock engine) and list every resource it would create')
    .option('--json', 'print {"resources": [{"type", "name", "parent", "inputs"}]}')
    .action(async (options: InputOptions & { json?: boolean }) => {
      const { platform } = loadPlatform(options, io.cwd);
      // Loaded on demand: the Pulumi SDK and providers take most of the command's start-up time.
      const { formatPlanJson, formatPlanTree, planPlatform } = await import('./plan');
      const resources = await planPlatform(platform, { stack: options.stack ?? (options.file ? 'offline' : 'dev') });
      printNotices(io, platform);
      io.out(options.json ? formatPlanJson(resources) : formatPlanTree(resources));
    });

  inputOptions(program.command('explain'))
    .description('show which deployments and versions serve a URL, with weights, headers and access rules (evaluates the objects synth writes)')
    .argument('<url>', 'a URL of the platform, e.g. https://<region host>/models/<prefix>/<model>/')
    .option('--json', 'print {"url", "hosts", "explanations": [...]}')
    .action((url: string, options: InputOptions & { json?: boolean }, command: Command) => {
      try {
        parseExplainUrl(url);
      } catch (error) {
        if (error instanceof ExplainUrlError) command.error(`error: ${error.message}`, { exitCode: EXIT.usage });
        throw error;
      }
      const { platform } = loadPlatform(options, io.cwd);
      const report = explainPlatformUrl(platform, url);
      io.out(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatExplainReport(report));
    });

  program
    .command('schema')
    .description('print the JSON Schema of a spec file, or write both schemas (spec file and stack file) into a directory')
    .option('-o, --out <dir>', 'write platform.schema.json and stack.schema.json into this directory')
    .action((options: { out?: string }) => {
      const specSchema = `${JSON.stringify(specFileJsonSchema(), null, 2)}\n`;
      if (options.out === undefined) {
        io.out(specSchema);
        return;
      }
      const dir = path.resolve(io.cwd, options.out);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'platform.schema.json'), specSchema);
      writeFileSync(path.join(dir, 'stack.schema.json'), `${JSON.stringify(stackFileJsonSchema(), null, 2)}\n`);
      io.out(`wrote ${path.join(options.out, 'platform.schema.json')} and ${path.join(options.out, 'stack.schema.json')}\n`);
    });

  return program;
}

/** Runs the command with `argv` (without node and script) and returns the exit code. */
export async function run(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  process.exitCode = undefined;
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof SpecError) {
      io.err(`error: ${error.message}\nnothing was written.\n`);
      return EXIT.specProblems;
    }
    if (error instanceof OutputError || (error as NodeJS.ErrnoException).code?.startsWith?.('E')) {
      io.err(`error: ${(error as Error).message}\nnothing was written.\n`);
      return EXIT.output;
    }
    const detail = process.env['PRACTICUS_INFRA_DEBUG'] ? `\n${(error as Error).stack ?? ''}` : ' (set PRACTICUS_INFRA_DEBUG=1 for details)';
    io.err(`internal error: ${(error as Error).message ?? String(error)}${detail}\n`);
    return EXIT.internal;
  } finally {
    process.exitCode = undefined;
  }
}

/** Entry point of bin/practicus-infra. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const code = await run(argv);
  process.exitCode = code;
}
