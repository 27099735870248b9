import type {
	RouteDefinition,
	RouteHandler,
	RouteOptions,
	SandboxContext,
	SandboxRequest,
} from '../context';
import { WixHttpError } from '../errors';

/**
 * Routes: method + path pattern (`:name` segments, matched against the whole path) → handler. The first route
 * whose pattern and method match wins; a path that matches only under other methods is a 405, not a 404.
 */

export interface Route {
	method: string;
	regex: RegExp;
	paramNames: string[];
	handler: RouteHandler;
	auth: 'site' | 'none';
}

export interface RouteMatch {
	route: Route;
	/** Values of the pattern's `:name` segments, URI-decoded. */
	params: Record<string, string>;
}

function compilePattern(pattern: string): { regex: RegExp; paramNames: string[] } {
	const paramNames: string[] = [];
	const source = pattern
		.split('/')
		.map((segment) => {
			if (segment.startsWith(':')) {
				paramNames.push(segment.slice(1));
				return '([^/]+)';
			}
			return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('/');
	return { regex: new RegExp(`^${source}$`), paramNames };
}

export class Router {
	private readonly routes: Route[] = [];

	add(
		method: string,
		pattern: string | string[],
		handler: RouteHandler,
		options?: RouteOptions,
	): void {
		for (const alias of Array.isArray(pattern) ? pattern : [pattern]) {
			const { regex, paramNames } = compilePattern(alias);
			this.routes.push({
				method: method.toUpperCase(),
				regex,
				paramNames,
				handler,
				auth: options?.auth ?? 'site',
			});
		}
	}

	match(method: string, path: string): RouteMatch | 'method-not-allowed' | null {
		let pathMatched = false;
		for (const route of this.routes) {
			const match = route.regex.exec(path);
			if (!match) continue;
			pathMatched = true;
			if (route.method !== method) continue;
			const params: Record<string, string> = {};
			route.paramNames.forEach((name, index) => {
				params[name] = decodeURIComponent(match[index + 1]);
			});
			return { route, params };
		}
		return pathMatched ? 'method-not-allowed' : null;
	}
}

/** Adds a route table to the sandbox, in the table's order. */
export function addRoutes(ctx: SandboxContext, table: RouteDefinition[]): void {
	for (const { method, path, handler, auth } of table) {
		ctx.route(method, path, handler, auth === undefined ? undefined : { auth });
	}
}

/**
 * A handler that reports each refusal it answers (a thrown WixHttpError, whatever the platform's body) before the
 * gateway writes it: the emulated platforms keep a list of what they refused.
 */
export function recordingRefusals(
	handler: RouteHandler,
	record: (req: SandboxRequest, refusal: WixHttpError) => void,
): RouteHandler {
	return async (req, res) => {
		const settled = await Promise.resolve()
			.then(() => handler(req, res))
			.then(
				(result) => ({ result, failure: undefined }),
				(failure: unknown) => ({ result: undefined, failure: failure ?? new Error('rejected') }),
			);
		if (settled.failure === undefined) return settled.result;
		if (settled.failure instanceof WixHttpError) record(req, settled.failure);
		throw settled.failure;
	};
}
