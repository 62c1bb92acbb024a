/** A problem with how the import was called or with its input file: exit code 2, one-line message. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** Whether the command line itself was wrong (then the usage line is shown too). */
    readonly badArguments = false,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = 'usage: npm run import -- <file.csv|file.json> [--url http://host:port --key <secret>] [--rejects <path>]';

export interface ImportArgs {
  file: string;
  /** Running service to send to; absent: run the batch service in this process. */
  url?: string;
  key?: string;
  rejects: string;
  help: boolean;
}

const OPTIONS = ['url', 'key', 'rejects'] as const;

/** Parses `<file> [--url U --key K] [--rejects P]` (also `--name=value`). */
export function parseImportArgs(argv: readonly string[]): ImportArgs {
  const values: Partial<Record<(typeof OPTIONS)[number], string>> = {};
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { file: '', rejects: '', help: true };
    if (!arg.startsWith('--')) {
      files.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (!(OPTIONS as readonly string[]).includes(name)) throw new UsageError(`unknown option --${name}`, true);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`, true);
    values[name as (typeof OPTIONS)[number]] = value;
  }
  if (files.length !== 1) throw new UsageError(files.length === 0 ? 'no input file given' : `one input file expected, got ${files.length}`, true);
  if ((values.url === undefined) !== (values.key === undefined)) throw new UsageError('--url and --key go together', true);
  if (values.url !== undefined && !/^https?:\/\/[^/\s]+/.test(values.url)) throw new UsageError(`--url must be an http(s) URL, got ${values.url}`, true);
  return { file: files[0], url: values.url, key: values.key, rejects: values.rejects ?? `${files[0]}.rejects.csv`, help: false };
}
