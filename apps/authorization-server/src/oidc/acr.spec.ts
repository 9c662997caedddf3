import type { interactionPolicy, KoaContextWithOIDC } from 'oidc-provider';
import {
  ACR_MFA,
  ACR_PASSWORD,
  ACR_PHISHING_RESISTANT as ACR_PHR,
  acrOf,
  asksBeyondPassword,
  grantedAcr,
  requestedAcr,
  unmetAcr,
  withAcrStepUp,
} from './acr';

describe('acr levels', () => {
  it('a password alone is the password level; a second factor or a recovery code makes it MFA', () => {
    expect(acrOf(['pwd'])).toBe(ACR_PASSWORD);
    expect(acrOf(['fed'])).toBe(ACR_PASSWORD);
    expect(acrOf(['pwd', 'otp'])).toBe(ACR_MFA);
    expect(acrOf(['pwd', 'mfa'])).toBe(ACR_MFA);
  });

  it('reads acr_values and claims.id_token.acr (value or values), essential only from the claims parameter', () => {
    expect(requestedAcr({ acr_values: `${ACR_MFA} ${ACR_PASSWORD}` })).toEqual({
      values: [ACR_MFA, ACR_PASSWORD],
      essential: false,
    });
    expect(
      requestedAcr({ claims: JSON.stringify({ id_token: { acr: { essential: true, values: [ACR_MFA] } } }) }),
    ).toEqual({
      values: [ACR_MFA],
      essential: true,
    });
    expect(requestedAcr({ claims: { id_token: { acr: { essential: true, value: ACR_MFA } } } }).values).toEqual([
      ACR_MFA,
    ]);
    expect(requestedAcr({ claims: 'not json' })).toEqual({ values: [], essential: false });
  });

  it('an essential level the sign-in did not reach is unmet; a voluntary one never is', () => {
    const essentialMfa = { claims: JSON.stringify({ id_token: { acr: { essential: true, values: [ACR_MFA] } } }) };
    expect(unmetAcr(essentialMfa, ACR_PASSWORD)).toBe(true);
    expect(unmetAcr(essentialMfa, ACR_MFA)).toBe(false);
    expect(unmetAcr({ acr_values: ACR_MFA }, ACR_PASSWORD)).toBe(false);
  });

  it('a passkey (hwk/swk), with or without a password, is phishing resistant, which satisfies mfa and pwd', () => {
    expect(acrOf(['hwk', 'mfa'])).toBe(ACR_PHR);
    expect(acrOf(['pwd', 'swk', 'mfa'])).toBe(ACR_PHR);
    const essential = (value: string) => ({ claims: { id_token: { acr: { essential: true, value } } } });
    expect(unmetAcr(essential(ACR_MFA), ACR_PHR)).toBe(false);
    expect(unmetAcr(essential(ACR_PHR), ACR_MFA)).toBe(true);
    expect(unmetAcr(essential('urn:example:unknown'), ACR_PHR)).toBe(true);
    // The ID token says the level the client asked for and got, else the level reached.
    expect(grantedAcr({ acr_values: ACR_MFA }, ACR_PHR)).toBe(ACR_MFA);
    expect(grantedAcr({ acr_values: `${ACR_PASSWORD} ${ACR_MFA}` }, ACR_PHR)).toBe(ACR_MFA);
    expect(grantedAcr({ acr_values: `${ACR_PASSWORD} ${ACR_MFA}` }, ACR_PASSWORD)).toBe(ACR_PASSWORD);
    expect(grantedAcr({ acr_values: ACR_PHR }, ACR_MFA)).toBe(ACR_MFA);
    expect(grantedAcr({}, ACR_PHR)).toBe(ACR_PHR);
    expect([asksBeyondPassword({ acr_values: ACR_PHR }), asksBeyondPassword({ acr_values: ACR_PASSWORD })]).toEqual([
      true,
      false,
    ]);
  });

  describe('the step-up check of the login prompt', () => {
    class Check {
      constructor(
        readonly reason: string,
        readonly description: string,
        readonly check: (ctx: KoaContextWithOIDC) => boolean,
      ) {}
    }
    const added: Check[] = [];
    const policy = { get: () => ({ checks: { add: (check: Check) => added.push(check) } }) };
    withAcrStepUp(
      policy as unknown as interactionPolicy.DefaultPolicy,
      Check as unknown as typeof interactionPolicy.Check,
    );
    const stepUp = added[0]!;
    const ctx = (acr: string | undefined, params: Record<string, unknown>, justSignedIn = false) =>
      ({
        oidc: { params, acr, session: { accountId: 'u1' }, result: justSignedIn ? { login: {} } : undefined },
      }) as unknown as KoaContextWithOIDC;

    it('asks a password-only session to sign in again when MFA is asked for', () => {
      expect(stepUp.reason).toBe('acr_step_up');
      expect(stepUp.check(ctx(ACR_PASSWORD, { acr_values: ACR_MFA }))).toBe(true);
    });

    it('not when the session has MFA, when MFA is not asked for, or right after a sign-in (no loop)', () => {
      expect(stepUp.check(ctx(ACR_MFA, { acr_values: ACR_MFA }))).toBe(false);
      expect(stepUp.check(ctx(ACR_PASSWORD, { acr_values: ACR_PASSWORD }))).toBe(false);
      expect(stepUp.check(ctx(ACR_PASSWORD, { acr_values: ACR_MFA }, true))).toBe(false);
      // phr above an mfa session steps up; mfa on a phr (or mfa-granted) session does not.
      expect(stepUp.check(ctx(ACR_MFA, { acr_values: ACR_PHR }))).toBe(true);
      expect(stepUp.check(ctx(ACR_PHR, { acr_values: ACR_MFA }))).toBe(false);
    });
  });
});
