import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

/**
 * How long a delivery may use the credential an earlier delivery read. Reading it is a database read and a
 * decryption on every delivery (1-10 ms of each answer under load). A delivery that fails verification with a
 * reused credential reads it again, so a new App Public Key from Wix is used at once; a key that was replaced
 * because it leaked keeps verifying for at most this long. An object so that tests can shorten it.
 */
export const CREDENTIAL_REUSE = { ms: 10_000 };
const MAX_REUSED_CREDENTIALS = 100;
const reusedCredentials = new Map<
	string,
	{ data: ICredentialDataDecryptedObject; readAt: number }
>();

export async function readTriggerCredentials(
	context: IWebhookFunctions,
	reuse: boolean,
): Promise<{ data: ICredentialDataDecryptedObject; reused: boolean }> {
	const id = context.getNode().credentials?.wixGalleryOAuth2Api?.id;
	const now = Date.now();
	const known = id ? reusedCredentials.get(id) : undefined;
	if (reuse && known && now - known.readAt < CREDENTIAL_REUSE.ms) {
		return { data: known.data, reused: true };
	}
	const data = await context.getCredentials('wixGalleryOAuth2Api');
	if (id) {
		reusedCredentials.delete(id);
		reusedCredentials.set(id, { data, readAt: now });
		if (reusedCredentials.size > MAX_REUSED_CREDENTIALS) {
			reusedCredentials.delete(reusedCredentials.keys().next().value as string);
		}
	}
	return { data, reused: false };
}
