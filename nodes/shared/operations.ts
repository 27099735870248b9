import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/** An output item, and which of the operation's outputs it goes to: the first when `output` is left out. */
export type OperationItem = INodeExecutionData & { output?: number };

/**
 * One operation of a node: its parameters, and how it runs. The router (./router.ts) runs it and owns what every
 * operation shares: the loop over the input items, pairing, continue on fail and n8n's errors.
 *
 * `Run` is what one node run shares between its items (Sync's mapping stores); nodes without it leave it out.
 */
export interface Operation<Run = undefined> {
	/** The operation's parameters, shown only while it is chosen. */
	description: INodeProperties[];
	/** The names of the node's outputs while this operation is chosen; without, the node has one output. */
	outputs?: string[];
	/** The output that takes a failed input item when the node continues on fail: the first by default. */
	errorOutput?: number;
	/**
	 * Runs the operation for one input item. Items it returns without `pairedItem` are paired with that input item;
	 * whatever it throws fails that item only.
	 */
	execute?(
		this: IExecuteFunctions,
		itemIndex: number,
		item: INodeExecutionData,
		run: Run,
	): Promise<OperationItem[]>;
	/**
	 * Runs the operation for all input items at once, e.g. so that they share requests. It pairs its items and
	 * handles continue on fail itself; whatever it throws fails the node.
	 */
	executeBatch?(
		this: IExecuteFunctions,
		items: INodeExecutionData[],
		run: Run,
	): Promise<OperationItem[]>;
	/** For an operation with both: whether this run takes all items at once, by the operation's own parameters. */
	runsAsBatch?(this: IExecuteFunctions): boolean;
}

/**
 * A node's operations by resource and by operation name, as its Resource and Operation parameters name them.
 * `Entities` is the node's `AllEntities<NodeMap>`, so that a resource missing an operation does not compile.
 */
export type Resources<
	Entities extends { resource: string; operation: string },
	Op extends Operation<never> = Operation,
> = {
	[R in Entities['resource']]: Record<Extract<Entities, { resource: R }>['operation'], Op>;
};

/** What one node run shares between its items, for nodes that need more than their parameters. */
export interface RunHooks<Run, Op> {
	/** Before the first item: opens the run's state, and may read ahead for all the input items. */
	open(
		context: IExecuteFunctions,
		items: INodeExecutionData[],
		operation: Op | undefined,
	): Promise<Run>;
	/** After the last item, also when the run failed. */
	close?(context: IExecuteFunctions, run: Run): void;
	/**
	 * Whether an input item that failed with `error` on its `attempt`th run (from 1) is run again, after whatever
	 * recovery the hook does. It may throw instead: the item then fails with that error.
	 */
	retry?(
		context: IExecuteFunctions,
		run: Run,
		error: unknown,
		attempt: number,
		itemIndex: number,
	): Promise<boolean>;
}
