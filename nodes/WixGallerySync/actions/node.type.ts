import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	mapping: 'filterEchoes' | 'list' | 'lookUp' | 'reconcile' | 'record' | 'remove';
};

export type WixGallerySyncType = AllEntities<NodeMap>;
