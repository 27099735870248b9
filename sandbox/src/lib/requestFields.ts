import type { SandboxRequest } from '../context';
import { parseMultipart } from '../apis/externalPlatform/multipart';
import type { MultipartPart } from '../apis/externalPlatform/multipart';
import { NOT_JSON, tryParseJson } from '../core/http';

/**
 * A request's parameters wherever the caller put them, as the Telegram Bot API and the Graph API both accept them:
 * the query string, then a JSON, `application/x-www-form-urlencoded` or `multipart/form-data` body (body fields win).
 * Files are the multipart parts that carry a file name or a content type.
 */
export interface RequestFields {
	fields: Record<string, unknown>;
	files: Record<string, MultipartPart>;
}

/** `badBody` makes the platform's own error for a body that cannot be read. */
export function readRequestFields(
	req: SandboxRequest,
	badBody: (message: string) => Error,
): RequestFields {
	const fields: Record<string, unknown> = Object.fromEntries(req.query.entries());
	const files: Record<string, MultipartPart> = {};
	const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
	if (req.body.length === 0) return { fields, files };
	if (contentType.startsWith('multipart/form-data')) {
		let parts: MultipartPart[];
		try {
			parts = parseMultipart(req.body, String(req.headers['content-type']));
		} catch (error) {
			throw badBody((error as Error).message);
		}
		for (const part of parts) {
			if (part.fileName !== undefined || part.contentType !== undefined) files[part.name] = part;
			else fields[part.name] = part.data.toString('utf8');
		}
	} else if (contentType.startsWith('application/x-www-form-urlencoded')) {
		Object.assign(fields, Object.fromEntries(new URLSearchParams(req.body.toString('utf8'))));
	} else {
		const parsed = tryParseJson(req.body.toString('utf8'));
		if (parsed === NOT_JSON || typeof parsed !== 'object' || parsed === null) {
			throw badBody('the request body is not a JSON object');
		}
		Object.assign(fields, parsed);
	}
	return { fields, files };
}

/** A field as text (numbers as the caller wrote them), or undefined when absent or empty. */
export function textField(fields: Record<string, unknown>, name: string): string | undefined {
	const value = fields[name];
	if (value === undefined || value === null) return undefined;
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return text === '' ? undefined : text;
}
