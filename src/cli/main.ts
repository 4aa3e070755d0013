/**
 * The `faceread` command line: analyze, models, profiles, serve, batch, worker, eval, calibrate.
 * Usage errors exit 2, failed files exit 1, success 0.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { ANALYZER_DEFAULTS } from '../analyzer.js';
import { isFaceReadError } from '../errors.js';
import { DEFAULT_ANALYZE_OPTIONS } from '../pipeline/analyze-options.js';
import { DEFAULT_PROFILE } from '../models/profiles.js';
import { defaultStoreDir } from '../models/store.js';
import { ORIENTATIONS } from '../types.js';
import { runAnalyzeCommand } from './analyze-command.js';
import { attributesOption } from './attributes-option.js';
import { registerBatchCommand } from './batch-command.js';
import { registerCalibrateCommand } from './calibrate-command.js';
import { registerImportClassicCommand } from './import-classic-command.js';
import { registerImportCommands } from './import-command.js';
import { registerProfilesCommand } from './profiles-command.js';
import { registerEvalCommand } from './eval-command.js';
import { listModels, prepareModels, verifyModels } from './models-command.js';
import { VERSION } from '../version.js';
import { formatForFile, OUTPUT_EXTENSIONS, OUTPUT_FORMATS, type OutputFormat } from './output-formats.js';
import { precisionOption as basePrecisionOption } from './precision-option.js';
import { registerWorkerCommand } from './worker-command.js';

function integer(min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`Expected an integer between ${min} and ${max} but received '${value}'.`);
    return n;
  };
}

function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1)) throw new InvalidArgumentError(`Expected a number between 0 and 1 but received '${value}'.`);
  return n;
}

const modelDirOption = () => new Option('--model-dir <dir>', 'model store folder (env FACEREAD_MODEL_DIR)').default(defaultStoreDir());
const profileOption = () => new Option('--models <profile>', 'model profile').default(DEFAULT_PROFILE);
const precisionOption = () => basePrecisionOption(ANALYZER_DEFAULTS.precision);

const program = new Command('faceread')
  .description('Find faces in photos and tell their gender and age, on ONNX Runtime.')
  .version(VERSION, '-V, --version', 'print the version')
  .exitOverride();

program
  .command('analyze')
  .description('analyse image files, folders (searched recursively) or globs')
  .argument('<inputs...>', 'files, folders or globs')
  .addOption(new Option('--format <format>', 'output format (default: from --output\'s extension, else table on a terminal, ndjson otherwise)').choices(OUTPUT_FORMATS))
  .option('--output <file>', `write the results to this file; its extension (${OUTPUT_EXTENSIONS.join(', ')}) sets the format`)
  .option('--annotate <dir>', 'write copies with boxes and labels drawn into this folder')
  .option('--concurrency <n>', 'photos in flight at once', integer(1, 256), 4)
  .option('--min-score <score>', 'minimum detector score (0..1)', fraction, DEFAULT_ANALYZE_OPTIONS.minScore)
  .option('--max-faces <n>', 'at most this many faces per photo', integer(1, 1000), DEFAULT_ANALYZE_OPTIONS.maxFaces)
  .addOption(new Option('--orientation <how>', "how the photo's upright is found: exif (its EXIF tag) or auto (also photos turned without a tag; slower)").choices(ORIENTATIONS).default(DEFAULT_ANALYZE_OPTIONS.orientation))
  .addOption(attributesOption())
  .option('--pool-size <n>', 'worker threads', integer(1, 64), ANALYZER_DEFAULTS.poolSize)
  .option('--threads <n>', 'onnxruntime threads per worker', integer(1, 64), ANALYZER_DEFAULTS.intraOpThreads)
  .addOption(profileOption())
  .addOption(precisionOption())
  .addOption(modelDirOption())
  .option('--verbose', 'log model conversion and start-up to stderr')
  .action(async (inputs: string[], o, command: Command) => {
    const fromFile = o.output ? formatForFile(o.output) : undefined;
    if (o.output && !o.format && !fromFile) {
      command.error(
        `error: cannot tell the format of --output '${o.output}': name it ${OUTPUT_EXTENSIONS.map((e) => `*${e}`).join(', ')} or add --format`,
        { code: 'commander.invalidArgument', exitCode: 2 },
      );
    }
    const format: OutputFormat = o.format ?? fromFile ?? (process.stdout.isTTY ? 'table' : 'ndjson');
    process.exitCode = await runAnalyzeCommand(inputs, {
      format,
      output: o.output,
      annotate: o.annotate,
      concurrency: o.concurrency,
      progress: Boolean(process.stderr.isTTY) && (format !== 'table' || o.output !== undefined),
      photo: { minScore: o.minScore, maxFaces: o.maxFaces, orientation: o.orientation, ...(o.attributes ? { attributes: o.attributes } : {}) },
      analyzer: {
        profile: o.models,
        modelDir: o.modelDir,
        poolSize: o.poolSize,
        intraOpThreads: o.threads,
        precision: o.precision,
        log: o.verbose ? (m: string) => console.error(m) : (m: string) => /convert/i.test(m) && console.error(m),
      },
    });
  });

const models = program.command('models').description('show and manage the model store');
models.command('list').description('models, their status in the store, and profiles').addOption(modelDirOption())
  .action(async (o) => { process.exitCode = await listModels(o.modelDir); });
models.command('prepare').description("convert a profile's models into the store now").addOption(profileOption()).addOption(precisionOption()).addOption(modelDirOption())
  .action(async (o) => { process.exitCode = await prepareModels(o.modelDir, o.models, o.precision); });
models.command('verify').description('check every stored model against its recorded sha256 and source').addOption(modelDirOption())
  .action(async (o) => { process.exitCode = await verifyModels(o.modelDir); });
registerImportCommands(models, modelDirOption);
registerImportClassicCommand(models, modelDirOption);
registerProfilesCommand(program, modelDirOption);

program
  .command('serve')
  .description('serve the web page and the HTTP API (env PORT, HOST and the rest of the server settings apply)')
  .option('--port <n>', 'port to listen on (env PORT)', integer(0, 65535))
  .option('--host <host>', 'address to listen on (env HOST)')
  .option('--models <profile>', 'model profile')
  .option('--model-dir <dir>', 'model store folder (env FACEREAD_MODEL_DIR)')
  .option('--pool-size <n>', 'worker threads', integer(1, 64))
  .addOption(basePrecisionOption())
  .addOption(new Option('--api-compat <shape>', "answers of POST /api/analyze: 'faceread' or the classic Flask app's 'classic' (env FACEREAD_API_COMPAT)").choices(['faceread', 'classic']))
  .action(async (o) => {
    const { serve } = await import('../server/serve.js');
    const overrides = Object.fromEntries(
      Object.entries({ port: o.port, host: o.host, profile: o.models, modelDir: o.modelDir, poolSize: o.poolSize, precision: o.precision, apiCompat: o.apiCompat }).filter(([, v]) => v !== undefined),
    );
    const server = await serve({ overrides });
    await server.ready;
  });

registerBatchCommand(program);
registerWorkerCommand(program);
registerEvalCommand(program);
registerCalibrateCommand(program);

// A usage error prints its message and one line pointing at the command's help, not the whole help.
function hintAtHelp(command: Command, names: string[]): void {
  command.showHelpAfterError(`(run '${[...names, '--help'].join(' ')}' for usage)`);
  for (const sub of command.commands) hintAtHelp(sub, [...names, sub.name()]);
}
hintAtHelp(program, ['faceread']);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const code = (error as { code?: string }).code;
  if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') process.exitCode = 0;
  else if (typeof code === 'string' && code.startsWith('commander.')) process.exitCode = 2;
  else if (isFaceReadError(error)) {
    console.error(`faceread: ${error.code}: ${error.message}`);
    process.exitCode = error.code === 'INVALID_OPTION' ? 2 : 1;
  } else {
    console.error(`faceread: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
