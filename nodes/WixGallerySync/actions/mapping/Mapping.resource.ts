import type { INodeProperties } from 'n8n-workflow';

import * as filterEchoes from './filterEchoes.operation';
import * as list from './list.operation';
import * as lookUp from './lookUp.operation';
import * as reconcile from './reconcile.operation';
import * as record from './record.operation';
import * as remove from './remove.operation';

/** The resource's operations by the Operation parameter's values. */
export const operations = { filterEchoes, list, lookUp, reconcile, record, remove };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['mapping'] } },
		options: [
			{
				name: 'Filter Echoes',
				value: 'filterEchoes',
				description:
					"Pass on real changes by what to do on the other side, and set aside the echoes of the sync's own writes",
				action: 'Filter echoes of the sync',
			},
			{
				name: 'List',
				value: 'list',
				description: 'Export every link of the mapping',
				action: 'List links',
			},
			{
				name: 'Look Up',
				value: 'lookUp',
				description: 'Find the link of a Wix item or external item',
				action: 'Look up a link',
			},
			{
				name: 'Reconcile',
				value: 'reconcile',
				description: 'Compare a Pro Gallery with the mapping: unmapped, orphaned and changed items',
				action: 'Reconcile a gallery with the mapping',
			},
			{
				name: 'Record Link',
				value: 'record',
				description:
					'Save that a Wix item and an external item are the same, with the fields synced',
				action: 'Record a link',
			},
			{
				name: 'Remove Link',
				value: 'remove',
				description: 'Forget the link of a deleted item',
				action: 'Remove a link',
			},
		],
		default: 'filterEchoes',
	},
	...filterEchoes.description,
	...list.description,
	...lookUp.description,
	...reconcile.description,
	...record.description,
	...remove.description,
];
