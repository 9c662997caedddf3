import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import { invisibleCharacterIn, stripInvisible } from '../common/visible-text';
import type { StandardClaims } from './standard-claims';

/**
 * What identifies a user on screen must look like what it is: an email or username holding an
 * invisible, format (Unicode Cf, bidi) or control character is refused, and so is any text of
 * the profile (display name, given and family names, nickname, address…), where zero-width
 * joiners inside a word are allowed as real writing. 400 invalid_characters, before any write.
 */
export function assertVisibleIdentity(user: { email?: string; username?: string | null; profile?: StandardClaims }) {
  const strict = { email: user.email, username: user.username ?? undefined };
  for (const [field, value] of Object.entries(strict)) refuseInvisible(field, value, false);
  for (const [field, value] of profileTexts(user.profile)) refuseInvisible(field, value, true);
}

/**
 * Upstream identity providers are not ours to correct, and refusing their users' names would
 * refuse the sign-in: for just-in-time provisioning the profile texts are stripped instead
 * (the email is still refused, as an identifier must never be silently altered).
 */
export function withoutInvisible(profile: StandardClaims): StandardClaims {
  const clean = (value: unknown) => (typeof value === 'string' ? stripInvisible(value) : value);
  const stripped = Object.fromEntries(Object.entries(profile).map(([k, v]) => [k, clean(v)])) as StandardClaims;
  if (profile.address && typeof profile.address === 'object') {
    stripped.address = Object.fromEntries(
      Object.entries(profile.address).map(([k, v]) => [k, clean(v)]),
    ) as StandardClaims['address'];
  }
  return stripped;
}

function* profileTexts(profile: StandardClaims | undefined): Generator<[string, string]> {
  for (const [field, value] of Object.entries(profile ?? {})) {
    if (typeof value === 'string') yield [`profile.${field}`, value];
    else if (field === 'address' && value && typeof value === 'object') {
      for (const [part, text] of Object.entries(value))
        if (typeof text === 'string') yield [`profile.address.${part}`, text];
    }
  }
}

function refuseInvisible(field: string, value: string | undefined, allowJoiners: boolean): void {
  const found = value === undefined ? null : invisibleCharacterIn(value, { allowJoiners });
  if (found) {
    throw new IdentityError(
      IdentityErrorCode.InvalidCharacters,
      `${field} contains an invisible or control character (${found})`,
      { field, character: found },
    );
  }
}
