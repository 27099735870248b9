/**
 * The Wix sandbox as a library: the one entry point for tests (`sandbox/src`) and scripts (`build/sandbox/index.js`).
 * Nothing else in the repository imports sandbox files directly, and nothing under nodes/ imports the sandbox.
 *
 * Inside: core/ is the gateway every request goes through (routing, auth, faults, request log, webhooks, control
 * API); apis/ holds one folder per emulated API, each a store (state and operations) and a route table; lib/ makes
 * media bytes and ZIP archives.
 */

// Running a sandbox and talking to it.
export { startSandbox } from './core/server';
export type { RunningSandbox, SandboxOptions } from './core/server';
export type { SandboxCredentials } from './core/auth';
export { sandboxClient } from './client';
export type { SandboxClient } from './client';
export { parseCliArgs, runCli } from './cli';
export type { CliOptions } from './cli';

// What the control API takes and answers.
export type { FaultSpec } from './core/faults';
export type { RequestLogEntry } from './core/requestLog';
export type { WebhookDeliveryAttempt, WebhookTarget } from './core/webhooks';

// Writing a module: the contract between the core and the APIs.
export type {
	CallerIdentity,
	RouteDefinition,
	RouteHandler,
	RouteOptions,
	RouteResult,
	SandboxConfig,
	SandboxContext,
	SandboxModule,
	SandboxRequest,
	SeedName,
	WixEventInput,
} from './context';
export { WixHttpError, invalidArgument, notFound } from './errors';
export { addRoutes } from './core/routing';

// The emulated APIs.
export { defaultModules } from './apis';
export { createMediaManagerModule } from './apis/mediaManager';
export type {
	AddFileInput,
	FileDescriptor,
	MediaManagerModule,
	MediaType,
	OperationStatus,
} from './apis/mediaManager';
export {
	MEMBERS_QUERY_DEFAULT_LIMIT,
	MEMBERS_QUERY_MAX_LIMIT,
	SITE_MEMBERS,
	createMembersModule,
} from './apis/members';
export type { MembersModule, NewSiteMember, SiteMember } from './apis/members';
export { createProGalleryModule, mediaIdFromUrl } from './apis/proGallery';
export type { Gallery, GalleryItem, ProGalleryModule } from './apis/proGallery';
export {
	SHARED_GALLERY_ALBUMS,
	SHARED_GALLERY_BROKEN_KINDS,
	SHARED_GALLERY_MEDIA,
	SHARED_GALLERY_MEMBERS,
	SHARED_GALLERY_QUERY_DEFAULT_LIMIT,
	SHARED_GALLERY_QUERY_MAX_LIMIT,
	SHARED_GALLERY_ROOT_ALBUM_ID,
	createSharedGalleryModule,
	sharedGallerySeedMediaId,
} from './apis/sharedGallery';
export type { ServedBrokenKind, SharedGalleryModule } from './apis/sharedGallery';
export {
	EXTERNAL_LIST_DEFAULT_LIMIT,
	EXTERNAL_LIST_MAX_LIMIT,
	EXTERNAL_MAX_UPLOAD_BYTES,
	createExternalPlatformModule,
	parseMultipart,
} from './apis/externalPlatform';
export type {
	ExternalDelivery,
	ExternalEvent,
	ExternalEventName,
	ExternalMedia,
	ExternalPlatformModule,
	MultipartPart,
} from './apis/externalPlatform';

export { TELEGRAM_CHATS, TELEGRAM_LIMITS, createTelegramModule } from './apis/telegram';
export type {
	TelegramChat,
	TelegramFileSource,
	TelegramMessageRecord,
	TelegramModule,
	TelegramRejection,
} from './apis/telegram';
export {
	LINKEDIN_IMAGE_TYPES,
	LINKEDIN_LIMITS,
	LINKEDIN_MEMBER,
	LINKEDIN_ORGANIZATION,
	createLinkedInModule,
} from './apis/linkedin';
export type {
	LinkedInImageRecord,
	LinkedInModule,
	LinkedInPostRecord,
	LinkedInRejection,
} from './apis/linkedin';
export { INSTAGRAM_ACCOUNT, INSTAGRAM_LIMITS, createInstagramModule } from './apis/instagram';
export type {
	InstagramContainerRecord,
	InstagramMediaRecord,
	InstagramModule,
	InstagramRejection,
} from './apis/instagram';

// The platform proxy: HTTPS to the platforms' fixed hosts, answered by the sandbox.
export type { ProxyDescription } from './core/platformProxy';
export { createCertificateAuthority } from './lib/certificateAuthority';
export type { CertificateAuthority, IssuedCertificate } from './lib/certificateAuthority';
export type { ReceivedFile } from './lib/receivedFiles';

// Media bytes and archives, for seeds and tests.
export { readSandboxAsset, sandboxAssetPath } from './lib/assets';
export { pngImage, sniffMedia } from './lib/mediaBytes';
export type { MediaInfo, PngOptions } from './lib/mediaBytes';
export { pipeZip, zipReadable, zipStream, zipToBuffer } from './lib/zipWriter';
export type { ZipEntry, ZipMethod, ZipOptions } from './lib/zipWriter';
export { BROKEN_ARCHIVE_KINDS, brokenArchive, isBrokenArchiveKind } from './lib/brokenArchives';
export type { BrokenArchiveKind, BrokenArchiveOptions } from './lib/brokenArchives';
