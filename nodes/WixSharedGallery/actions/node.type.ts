import type { AllEntities } from 'n8n-workflow';

import type { MemberNames } from '../helpers/memberNames';

type NodeMap = {
	item: 'download' | 'getDisplayUrls' | 'getDownloadUrl' | 'query';
};

export type WixSharedGalleryType = AllEntities<NodeMap>;

/** What one run of the node shares between its input items: the member names found so far. */
export interface SharedGalleryRun {
	memberNames: MemberNames;
}
