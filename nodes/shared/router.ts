import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorOutputItem, toNodeError } from './execution';
import type { Operation, OperationItem, RunHooks } from './operations';

/** Puts the operation's items on the outputs they name, paired with `itemIndex` unless they pair themselves. */
function routeItems(outputs: INodeExecutionData[][], results: OperationItem[], itemIndex?: number) {
	for (const result of results) {
		// Copying only items that name an output: a rest copy of every item showed in the listing profile.
		let item: INodeExecutionData = result;
		let output = 0;
		if (result.output !== undefined) {
			const { output: named, ...rest } = result;
			output = named;
			item = rest;
		}
		if (itemIndex !== undefined && !item.pairedItem) item.pairedItem = { item: itemIndex };
		outputs[output].push(item);
	}
}

/** Runs one input item, and again as long as the node's retry hook asks for it. */
async function executeItem<Run>(
	context: IExecuteFunctions,
	execute: NonNullable<Operation<Run>['execute']>,
	itemIndex: number,
	item: INodeExecutionData,
	run: Run,
	hooks: RunHooks<Run, unknown> | undefined,
): Promise<OperationItem[]> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await execute.call(context, itemIndex, item, run);
		} catch (error) {
			if (!(await hooks?.retry?.(context, run, error, attempt, itemIndex))) {
				throw toNodeError(context.getNode(), error, itemIndex);
			}
		}
	}
}

/**
 * Runs the operation the node's Resource and Operation parameters choose, for every input item (or for all at once,
 * when the operation runs as a batch), and returns the node's outputs. A failed item stops the node with an n8n
 * error naming the item, or, when the node continues on fail, becomes an error item on the operation's error output.
 */
export async function runOperation<Op extends Operation<Run>, Run = undefined>(
	this: IExecuteFunctions,
	resources: Record<string, Record<string, Op | undefined> | undefined>,
	hooks?: RunHooks<Run, Op>,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resource]?.[operationName];
	const outputs: INodeExecutionData[][] = (operation?.outputs ?? ['']).map(() => []);
	const run = hooks ? await hooks.open(this, items, operation) : (undefined as Run);
	try {
		if (
			operation?.executeBatch &&
			(operation.runsAsBatch ? operation.runsAsBatch.call(this) : !operation.execute)
		) {
			try {
				routeItems(outputs, await operation.executeBatch.call(this, items, run));
			} catch (error) {
				throw toNodeError(this.getNode(), error, 0);
			}
			return outputs;
		}
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				if (!operation?.execute) {
					throw new NodeOperationError(
						this.getNode(),
						`The operation "${operationName}" is not supported for "${resource}"`,
						{ itemIndex },
					);
				}
				const item = items[itemIndex];
				const results = await executeItem(this, operation.execute, itemIndex, item, run, hooks);
				routeItems(outputs, results, itemIndex);
			} catch (error) {
				const nodeError = toNodeError(this.getNode(), error, itemIndex);
				if (!this.continueOnFail()) throw nodeError;
				outputs[operation?.errorOutput ?? 0].push(errorOutputItem(nodeError, itemIndex));
			}
		}
		return outputs;
	} finally {
		hooks?.close?.(this, run);
	}
}

/**
 * Runs a batch operation whose items each have a slow first part that may overlap with other items' (uploading a
 * file and waiting until Wix has processed it) and a last part that must happen in input order (creating the
 * gallery item). Up to `concurrency` first parts run at once; the last parts run one by one in input order. Pairing,
 * continue on fail and n8n's errors are handled as by the router: without continue on fail, the first failed item
 * in input order fails the node after the started first parts have ended, and no later item is finished.
 */
export async function runPipelined<Prepared>(
	context: IExecuteFunctions,
	itemCount: number,
	concurrency: number,
	prepare: (itemIndex: number) => Promise<Prepared>,
	finish: (itemIndex: number, prepared: Prepared) => Promise<OperationItem[]>,
): Promise<OperationItem[]> {
	let running = 0;
	let stopped = false;
	const waiting: Array<() => void> = [];
	const inTurn = async <T>(work: () => Promise<T>): Promise<T> => {
		if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
		if (stopped)
			throw new NodeOperationError(context.getNode(), 'Not started: an earlier item failed');
		running++;
		try {
			return await work();
		} finally {
			running--;
			waiting.shift()?.();
		}
	};
	const prepared = Array.from({ length: itemCount }, async (_, itemIndex) => {
		return await inTurn(async () => await prepare(itemIndex));
	});
	// Failures are taken in input order below; until then they must not count as unhandled.
	for (const promise of prepared) promise.catch(() => undefined);

	const outputs: INodeExecutionData[][] = [[]];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			routeItems(outputs, await finish(itemIndex, await prepared[itemIndex]), itemIndex);
		} catch (error) {
			const nodeError = toNodeError(context.getNode(), error, itemIndex);
			if (!context.continueOnFail()) {
				stopped = true;
				for (const start of waiting.splice(0)) start();
				await Promise.allSettled(prepared);
				throw nodeError;
			}
			outputs[0].push(errorOutputItem(nodeError, itemIndex));
		}
	}
	return outputs[0];
}
