import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	item: 'download' | 'getDisplayUrls' | 'getDownloadUrl' | 'query';
};

export type WixSharedGalleryType = AllEntities<NodeMap>;
