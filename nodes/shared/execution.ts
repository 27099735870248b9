import type { INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** The error an operation failed with, as the n8n error that names the node and the input item. */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	const nodeError =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(node, error as Error, { itemIndex });
	if (nodeError.context.itemIndex === undefined) nodeError.context.itemIndex = itemIndex;
	return nodeError;
}

/**
 * What a failed input item becomes when the node is set to continue on fail; paired with several input items when
 * they failed together (a download batch shared by them).
 */
export function errorOutputItem(error: unknown, itemIndex: number | number[]): INodeExecutionData {
	const { message, description } = error as { message?: string; description?: string | null };
	return {
		json: {
			error: message ?? String(error),
			...(description ? { errorDescription: description } : {}),
		},
		pairedItem: Array.isArray(itemIndex)
			? itemIndex.map((item) => ({ item }))
			: { item: itemIndex },
	};
}
