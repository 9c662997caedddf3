import type { CDPSession } from 'playwright-core';

/** A credential as Chromium's virtual authenticator exports and imports it (CDP WebAuthn.Credential). */
export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  /** The private key (PKCS#8, base64): whoever holds it can make the same passkey's signatures. */
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

/**
 * A platform authenticator with user verification, as a laptop's fingerprint reader is; presence
 * is automatic. With `credential`, it holds that passkey (a copy of another authenticator's).
 */
export async function addPlatformAuthenticator(session: CDPSession, credential?: VirtualCredential): Promise<string> {
  const { authenticatorId } = await session.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  if (credential) await session.send('WebAuthn.addCredential', { authenticatorId, credential });
  return authenticatorId;
}
