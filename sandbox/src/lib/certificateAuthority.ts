import { X509Certificate, createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import {
	derBitString,
	derBoolean,
	derExplicit,
	derImplicitPrimitive,
	derObjectIdentifier,
	derOctetString,
	derSequence,
	derSet,
	derSmallInteger,
	derTime,
	derUnsignedInteger,
	derUtf8String,
} from './der';

/**
 * A throw-away certificate authority for the sandbox's platform proxy (core/platformProxy.ts): an ECDSA P-256 key
 * made at start, a self-signed CA certificate, and server certificates it signs for the hosts the proxy answers
 * for (api.linkedin.com, graph.facebook.com, …). The X.509 structures (RFC 5280) are written by hand with
 * lib/der.ts and signed with node:crypto, because the project adds no dependencies. A process that is to trust the
 * sandbox (n8n) gets the CA certificate through `NODE_EXTRA_CA_CERTS`; nothing else ever trusts it.
 */

const OID = {
	ecdsaWithSha256: '1.2.840.10045.4.3.2',
	commonName: '2.5.4.3',
	organizationName: '2.5.4.10',
	basicConstraints: '2.5.29.19',
	keyUsage: '2.5.29.15',
	extendedKeyUsage: '2.5.29.37',
	serverAuth: '1.3.6.1.5.5.7.3.1',
	subjectAltName: '2.5.29.17',
	subjectKeyIdentifier: '2.5.29.14',
	authorityKeyIdentifier: '2.5.29.35',
};

const DAY_MS = 24 * 60 * 60 * 1000;

export interface IssuedCertificate {
	/** PEM of the certificate. */
	certPem: string;
	/** PEM (PKCS#8) of its private key. */
	keyPem: string;
	x509: X509Certificate;
}

export interface CertificateAuthority {
	/** The CA certificate, for `NODE_EXTRA_CA_CERTS` or a TLS client's `ca`. */
	certPem: string;
	x509: X509Certificate;
	/** A server certificate for these DNS names (the first is also its common name). */
	issueServerCertificate(hostNames: string[]): IssuedCertificate;
}

function distinguishedName(commonName: string): Buffer {
	return derSequence(
		derSet(
			derSequence(
				derObjectIdentifier(OID.organizationName),
				derUtf8String('n8n-nodes-wix-gallery sandbox'),
			),
		),
		derSet(derSequence(derObjectIdentifier(OID.commonName), derUtf8String(commonName))),
	);
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
	return critical
		? derSequence(derObjectIdentifier(oid), derBoolean(true), derOctetString(value))
		: derSequence(derObjectIdentifier(oid), derOctetString(value));
}

function spkiOf(publicKey: KeyObject): Buffer {
	return publicKey.export({ type: 'spki', format: 'der' });
}

/** RFC 5280 §4.2.1.2 allows any unique value; a hash of the whole SubjectPublicKeyInfo is one. */
function keyIdentifier(publicKey: KeyObject): Buffer {
	return createHash('sha1').update(spkiOf(publicKey)).digest();
}

function toPem(der: Buffer): string {
	const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
	return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

interface CertificateFields {
	issuer: Buffer;
	subject: Buffer;
	subjectKey: KeyObject;
	signingKey: KeyObject;
	notBefore: Date;
	notAfter: Date;
	extensions: Buffer[];
}

/** TBSCertificate (v3), signed with ECDSA-SHA256; the result is the certificate's DER. */
function signCertificate(fields: CertificateFields): Buffer {
	const algorithm = derSequence(derObjectIdentifier(OID.ecdsaWithSha256));
	// A positive 16-byte serial: the top bit cleared, and never all zero.
	const serial = randomBytes(16);
	serial[0] = (serial[0] & 0x7f) | 0x01;
	const tbs = derSequence(
		derExplicit(0, derSmallInteger(2)),
		derUnsignedInteger(serial),
		algorithm,
		fields.issuer,
		derSequence(derTime(fields.notBefore), derTime(fields.notAfter)),
		fields.subject,
		spkiOf(fields.subjectKey),
		derExplicit(3, derSequence(...fields.extensions)),
	);
	// node:crypto's ECDSA signature is DER (r, s), which is what X.509 carries in the BIT STRING.
	const signature = sign('sha256', tbs, fields.signingKey);
	return derSequence(tbs, algorithm, derBitString(signature));
}

function newKeyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
	return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

export function createCertificateAuthority(
	options: { now?: Date; validDays?: number } = {},
): CertificateAuthority {
	const now = options.now ?? new Date();
	const validDays = options.validDays ?? 365;
	// An hour back, so that a clock a little behind (another machine, a container) still accepts it.
	const notBefore = new Date(now.getTime() - 60 * 60 * 1000);
	const notAfter = new Date(now.getTime() + validDays * DAY_MS);
	const caKeys = newKeyPair();
	const caName = distinguishedName(
		`n8n-nodes-wix-gallery sandbox CA ${randomBytes(4).toString('hex')}`,
	);
	const caKeyId = keyIdentifier(caKeys.publicKey);
	const caDer = signCertificate({
		issuer: caName,
		subject: caName,
		subjectKey: caKeys.publicKey,
		signingKey: caKeys.privateKey,
		notBefore,
		notAfter,
		extensions: [
			// CA:TRUE, path length 0: it signs server certificates only.
			extension(OID.basicConstraints, true, derSequence(derBoolean(true), derSmallInteger(0))),
			// keyCertSign (bit 5) and cRLSign (bit 6): 0b0000011x, 7 significant bits.
			extension(OID.keyUsage, true, derBitString(Buffer.from([0x06]), 7)),
			extension(OID.subjectKeyIdentifier, false, derOctetString(caKeyId)),
		],
	});
	const certPem = toPem(caDer);

	return {
		certPem,
		x509: new X509Certificate(certPem),
		issueServerCertificate(hostNames) {
			if (hostNames.length === 0) throw new Error('a server certificate needs a host name');
			const keys = newKeyPair();
			const der = signCertificate({
				issuer: caName,
				subject: distinguishedName(hostNames[0]),
				subjectKey: keys.publicKey,
				signingKey: caKeys.privateKey,
				notBefore,
				notAfter,
				extensions: [
					extension(OID.basicConstraints, true, derSequence()),
					// digitalSignature (bit 0): the only use of an ECDHE-ECDSA server key.
					extension(OID.keyUsage, true, derBitString(Buffer.from([0x80]), 1)),
					extension(OID.extendedKeyUsage, false, derSequence(derObjectIdentifier(OID.serverAuth))),
					// dNSName is `[2] IMPLICIT IA5String`.
					extension(
						OID.subjectAltName,
						false,
						derSequence(
							...hostNames.map((name) => derImplicitPrimitive(2, Buffer.from(name, 'latin1'))),
						),
					),
					extension(
						OID.authorityKeyIdentifier,
						false,
						derSequence(derImplicitPrimitive(0, caKeyId)),
					),
					extension(OID.subjectKeyIdentifier, false, derOctetString(keyIdentifier(keys.publicKey))),
				],
			});
			const serverPem = toPem(der);
			return {
				certPem: serverPem,
				keyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
				x509: new X509Certificate(serverPem),
			};
		},
	};
}
