import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPipelined } from '../../shared/router';

/** The most files a node run uploads at once: Wix rate-limits per site, and each upload holds a connection. */
const MAX_CONCURRENT_UPLOADS = 10;

export const concurrentUploadsOption: INodeProperties = {
	displayName: 'Concurrent Uploads',
	name: 'concurrentUploads',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENT_UPLOADS, numberPrecision: 0 },
	default: 1,
	description: `How many files to upload and wait for at once (at most ${MAX_CONCURRENT_UPLOADS}). The outputs stay in input order. Set from the first input item.`,
};

/** Concurrent Uploads of the run, read from the first item: the whole batch runs with one setting. */
export function concurrentUploads(context: IExecuteFunctions): number {
	const options = context.getNodeParameter('options', 0, {}) as { concurrentUploads?: unknown };
	const value = options.concurrentUploads ?? 1;
	if (
		typeof value !== 'number' ||
		!Number.isInteger(value) ||
		value < 1 ||
		value > MAX_CONCURRENT_UPLOADS
	) {
		throw new NodeOperationError(
			context.getNode(),
			`"Concurrent Uploads" must be a whole number from 1 to ${MAX_CONCURRENT_UPLOADS}, not ${JSON.stringify(value)}`,
			{ itemIndex: 0 },
		);
	}
	return value;
}

/**
 * The batch half of an operation that uploads media: with Concurrent Uploads above 1, `prepare` (upload and wait)
 * runs for several items at once and `finish` runs in input order (see runPipelined).
 */
export function concurrentUploadBatch<Prepared>(
	prepare: (this: IExecuteFunctions, itemIndex: number) => Promise<Prepared>,
	finish: (
		this: IExecuteFunctions,
		itemIndex: number,
		prepared: Prepared,
	) => Promise<INodeExecutionData[]>,
) {
	return {
		runsAsBatch(this: IExecuteFunctions): boolean {
			return concurrentUploads(this) > 1;
		},
		async executeBatch(
			this: IExecuteFunctions,
			items: INodeExecutionData[],
		): Promise<INodeExecutionData[]> {
			return await runPipelined(
				this,
				items.length,
				concurrentUploads(this),
				async (itemIndex) => await prepare.call(this, itemIndex),
				async (itemIndex, prepared) => await finish.call(this, itemIndex, prepared),
			);
		},
	};
}
