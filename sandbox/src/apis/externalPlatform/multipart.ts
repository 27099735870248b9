import { platformError } from './types';

export interface MultipartPart {
	name: string;
	fileName?: string;
	contentType?: string;
	data: Buffer;
}

/** Parameters of a header value like `form-data; name="file"; filename="a b.png"`. */
function headerParameters(value: string): Record<string, string> {
	const parameters: Record<string, string> = {};
	const pattern = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
	for (let match = pattern.exec(value); match; match = pattern.exec(value)) {
		const key = match[1].toLowerCase();
		const raw = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3].trim();
		if (key.endsWith('*')) {
			// RFC 5987: charset'language'percent-encoded
			const encoded = /^[^']*'[^']*'(.*)$/.exec(raw);
			try {
				parameters[key.slice(0, -1)] = decodeURIComponent(encoded ? encoded[1] : raw);
			} catch {
				parameters[key.slice(0, -1)] = raw;
			}
		} else if (!(key in parameters)) {
			parameters[key] = raw;
		}
	}
	return parameters;
}

/** A small multipart/form-data parser (RFC 7578) over a body already in memory. */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
	const boundary = headerParameters(`x${contentType.slice(contentType.indexOf(';'))}`).boundary;
	if (!contentType.toLowerCase().startsWith('multipart/form-data') || !boundary) {
		throw platformError(400, 'bad_request', 'Expected multipart/form-data with a boundary');
	}
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: MultipartPart[] = [];
	let position = body.indexOf(delimiter);
	if (position < 0) throw platformError(400, 'bad_request', 'Multipart body has no boundary line');
	for (;;) {
		position += delimiter.length;
		if (body.subarray(position, position + 2).toString('latin1') === '--') break;
		if (body.subarray(position, position + 2).toString('latin1') === '\r\n') position += 2;
		const headerEnd = body.indexOf('\r\n\r\n', position);
		if (headerEnd < 0) throw platformError(400, 'bad_request', 'Multipart part without headers');
		const headers: Record<string, string> = {};
		for (const line of body.subarray(position, headerEnd).toString('utf8').split('\r\n')) {
			const colon = line.indexOf(':');
			if (colon > 0)
				headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
		const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
		if (next < 0) throw platformError(400, 'bad_request', 'Multipart body is truncated');
		const disposition = headerParameters(headers['content-disposition'] ?? '');
		if (disposition.name !== undefined) {
			parts.push({
				name: disposition.name,
				fileName: disposition.filename,
				contentType: headers['content-type'],
				data: body.subarray(headerEnd + 4, next),
			});
		}
		position = next + 2;
	}
	return parts;
}
