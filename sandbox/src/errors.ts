/**
 * Wix-shaped errors (docs/wix-api.md §6.1). A handler throws one; the gateway answers with its status and Wix's
 * error body.
 */

/** A Wix-shaped error. Thrown from a handler, the core answers with Wix's error body and this status. */
export class WixHttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly details?: {
			applicationError?: { code: string; description: string; data?: Record<string, unknown> };
			validationError?: {
				fieldViolations: Array<{
					field: string;
					description: string;
					violatedRule?: string;
					ruleName?: string;
					data?: Record<string, unknown>;
				}>;
			};
		},
		/** A body to send instead of Wix's usual one (e.g. Shared Gallery's `{ message: 'expired' }`, or none for 5xx). */
		readonly rawBody?: unknown,
	) {
		super(message);
	}
}

export function notFound(what: string, id: string): WixHttpError {
	return new WixHttpError(404, `${what} not found: ${id}`, {
		applicationError: { code: 'NOT_FOUND', description: `${what} with id ${id} was not found` },
	});
}

export function invalidArgument(
	field: string,
	description: string,
	violatedRule = 'FORMAT',
): WixHttpError {
	return new WixHttpError(400, `INVALID_ARGUMENT: ${field} ${description}`, {
		validationError: {
			fieldViolations: [{ field, description, violatedRule, ruleName: 'VALIDATION_ERROR' }],
		},
	});
}

/** The body of an application error the gateway itself answers (no route, auth, injected faults). */
export function wixErrorBody(
	message: string,
	code: string,
	description: string,
	requestId: string,
) {
	return { message, details: { applicationError: { code, description, data: {} }, requestId } };
}
