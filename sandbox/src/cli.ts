/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- the sandbox is a dev tool that runs in plain Node, never inside n8n; its CLI talks to a terminal */
import type { SeedName } from './context';
import { startSandbox } from './core/server';
import type { RunningSandbox, SandboxOptions } from './core/server';

export interface CliOptions {
	port: number;
	host: string;
	seed: SeedName;
	quiet: boolean;
}

const USAGE =
	'Usage: node build/sandbox/cli.js [--port N] [--host H] [--seed default|empty] [--quiet]';

export function parseCliArgs(argv: string[]): CliOptions {
	const options: CliOptions = { port: 5880, host: '127.0.0.1', seed: 'default', quiet: false };
	for (let index = 0; index < argv.length; index++) {
		const [flag, inlineValue] = argv[index].split(/=(.*)/s, 2);
		const value = () => {
			const next = inlineValue ?? argv[++index];
			if (next === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
			return next;
		};
		switch (flag) {
			case '--port': {
				const port = Number(value());
				if (!Number.isInteger(port) || port < 0 || port > 65535) {
					throw new Error(`--port must be a port number (0 = any free port)\n${USAGE}`);
				}
				options.port = port;
				break;
			}
			case '--host':
				options.host = value();
				break;
			case '--seed': {
				const seed = value();
				if (seed !== 'default' && seed !== 'empty') {
					throw new Error(`--seed must be "default" or "empty"\n${USAGE}`);
				}
				options.seed = seed;
				break;
			}
			case '--quiet':
				options.quiet = true;
				break;
			default:
				throw new Error(`Unknown argument: ${argv[index]}\n${USAGE}`);
		}
	}
	return options;
}

/** Starts the sandbox from command-line arguments and prints where it listens and how to authenticate. */
export async function runCli(
	argv: string[],
	print: (line: string) => void = (line) => console.log(line),
	/** For tests: modules to serve instead of the default set. */
	overrides: Pick<SandboxOptions, 'modules'> = {},
): Promise<RunningSandbox> {
	const options = parseCliArgs(argv);
	const sandbox = await startSandbox({
		...overrides,
		host: options.host,
		port: options.port,
		seed: options.seed,
		log: options.quiet ? undefined : print,
	});
	const { credentials } = sandbox;
	print(`Wix sandbox listening on ${sandbox.baseUrl}`);
	print(
		[
			`  seed:        ${options.seed}`,
			`  API key:     ${credentials.apiKey}`,
			`  site id:     ${credentials.siteId}`,
			`  app id:      ${credentials.appId}`,
			`  app secret:  ${credentials.appSecret}`,
			`  instance id: ${credentials.instanceId}`,
			`  public key:  GET ${sandbox.baseUrl}/_sandbox/credentials (publicKeyPem)`,
			`  platforms:   Telegram Base URL ${sandbox.baseUrl}/telegram; tokens and what each received:`,
			`               GET ${sandbox.baseUrl}/_sandbox/telegram, /_sandbox/linkedin, /_sandbox/instagram`,
			`  HTTPS proxy: HTTPS_PROXY=${sandbox.baseUrl} for api.linkedin.com and graph.facebook.com;`,
			`               trust the CA of GET ${sandbox.baseUrl}/_sandbox/proxy (caCertPem)`,
		].join('\n'),
	);
	return sandbox;
}

if (require.main === module) {
	runCli(process.argv.slice(2)).then(
		(sandbox) => {
			const shutDown = () => {
				sandbox.close().then(
					() => process.exit(0),
					() => process.exit(1),
				);
			};
			process.once('SIGINT', shutDown);
			process.once('SIGTERM', shutDown);
		},
		(error: Error) => {
			console.error(error.message);
			process.exit(1);
		},
	);
}
