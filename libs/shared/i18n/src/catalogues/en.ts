/**
 * English, the reference catalogue: every key here must exist in every other language (the
 * spec checks it). Keys are grouped by page; `{{name}}` is an interpolated, escaped value.
 */
export const en = {
  common: {
    language: 'Language',
    poweredBy: 'Secured by {{name}}',
    backToApp: 'Go back to the application and start again.',
    theApplication: 'the application',
    technicalCode: 'Error code: {{code}}',
  },
  login: {
    title: 'Sign in',
    subtitle: 'to continue to {{client}}',
    loginLabel: 'Email or username',
    passwordLabel: 'Password',
    submit: 'Sign in',
    forgotPassword: 'Forgot password?',
    noAccount: 'No account yet?',
    createAccount: 'Create account',
    or: 'or',
    signInWith: 'Sign in with {{provider}}',
    signedInAs: 'Signed in as {{account}}',
    anotherAccount: 'another account',
    notYou: 'Not you? Sign in with another account',
    errors: {
      missingFields: 'Enter your email or username and your password.',
      invalidCredentials: 'The email, username or password is not correct.',
      accountLocked:
        'This account is temporarily locked after too many failed sign-ins. Try again in a few minutes, or reset your password to unlock it now.',
      resetPassword: 'Reset your password',
      emailNotVerified: 'Confirm your email address first: open the link we sent you.',
      resendVerification: 'Send a new link',
      tooManyAttempts: 'Too many attempts. Wait a moment, then try again.',
      optionUnavailable: 'That sign-in option is not available.',
      providerUnreachable: '{{provider}} is not reachable right now. Try again later.',
      federationCancelled: 'Signing in with the other provider was cancelled.',
      federationFailed: 'Signing in with {{provider}} did not succeed.',
      noLinkedAccount:
        'There is no account here for that sign-in, and none can be created automatically. Ask an administrator to link your account.',
      summary: 'There is a problem',
    },
  },
  mfa: {
    title: 'Two-step verification',
    totpLabel: 'Code from your authenticator app',
    recoveryLabel: 'Recovery code',
    submit: 'Verify',
    useRecoveryCode: 'Use a recovery code instead',
    useAuthenticator: 'Use your authenticator app instead',
    errors: {
      missingCode: 'Enter the code.',
      invalidCode: 'That code is not valid. Try again.',
    },
    enrollmentRequiredTitle: 'Two-step verification required',
    enrollmentRequired:
      'Your organisation requires two-step verification, and none is set up for your account yet. Ask an administrator to help you set it up.',
    passkeyRequiredTitle: 'Passkey required',
    passkeyRequired:
      'Administrators of this organisation must sign in with a passkey, and your account has none yet. Ask another administrator to help you register one.',
  },
  password: {
    title: 'Choose a new password',
    intro: 'Your password was set by an administrator or has to be replaced before you continue.',
    currentLabel: 'Current password',
    newLabel: 'New password',
    confirmLabel: 'New password again',
    submit: 'Change password and continue',
    errors: {
      missingFields: 'Fill in every field.',
      mismatch: 'The new passwords do not match.',
      currentWrong: 'The current password is not correct.',
      weak: 'This password is too weak or too common. Choose a longer one.',
      reused: 'Choose a password you have not used before.',
    },
  },
  consent: {
    title: 'Allow access?',
    asks: 'asks to:',
    identityOnly: 'Learn who you are (no access to your data in it is asked for)',
    allow: 'Allow',
    deny: 'Deny',
  },
  scopes: {
    openid: 'Sign you in with your account',
    profile: 'See your name and profile',
    email: 'See your email address',
    phone: 'See your phone number',
    address: 'See your postal address',
    offline_access: 'Stay signed in to it while you are away',
    roles: 'See your roles and permissions',
  },
  errors: {
    forbiddenTitle: 'Request refused',
    forbidden: 'This form was not submitted from the sign-in page. Go back to the application and start again.',
    expiredTitle: 'Sign-in expired',
    expired:
      'This sign-in request has expired or was opened in another browser. Go back to the application and start again.',
    unavailableTitle: 'Temporarily unavailable',
    unavailable: 'Signing in is temporarily unavailable. Please try again in a few minutes.',
    requestTitle: 'This sign-in request cannot be completed',
    serverTitle: 'Something went wrong',
    server: 'Please try again in a few minutes.',
    /** oidc-provider's OAuth error codes, said for a person. */
    oauth: {
      default: 'The application sent a request this service cannot handle. Go back to the application and try again.',
      invalid_client: 'The application you came from is not known to this sign-in service.',
      invalid_redirect_uri: 'The application asked to send you to an address it has not registered.',
      invalid_request: 'The application sent an incomplete or malformed sign-in request.',
      invalid_scope: 'The application asked for access that it may not have.',
      invalid_target: 'The application asked for access to an API that is not available to it.',
      unauthorized_client: 'The application may not sign you in this way.',
      unsupported_response_type: 'The application asked for a sign-in type this service does not offer.',
      access_denied: 'The request was declined.',
      login_required: 'You need to sign in first.',
      consent_required: 'Your permission is needed first.',
      invalid_grant: 'This sign-in has expired or was already used. Start again.',
      session_not_found: 'Your session has ended. Sign in again.',
      request_not_supported: 'The application sent a request this service does not support.',
      invalid_request_uri: 'The application sent a sign-in link that has expired or is not valid.',
      invalid_request_object: 'The application sent a sign-in request that could not be verified.',
    },
  },
  logout: {
    title: 'Sign out',
    question: 'Do you want to sign out of {{client}} and this sign-in service?',
    yes: 'Yes, sign me out',
    no: 'No, stay signed in',
    doneTitle: 'Signed out',
    done: 'You have been signed out.',
  },
  device: {
    inputTitle: 'Connect a device',
    inputIntro: 'Enter the code shown on your device.',
    codeLabel: 'Code shown on your device',
    continue: 'Continue',
    cancel: 'Cancel',
    invalidCode: 'That code is not valid. Check the code on your device and try again.',
    aborted: 'The sign-in request was cancelled.',
    failed: 'The request could not be processed. Start again on your device.',
    confirmTitle: 'Confirm the device',
    confirmIntro: 'asks to sign in on a device showing this code:',
    allows: 'If you continue, the device will be able to:',
    warning:
      'If you did not start this yourself, or the code differs from the one on your device, cancel: someone may be trying to get access to your account.',
    doneTitle: 'Device connected',
    done: 'You are signed in on your device with {{client}}. You can close this page.',
  },
};

/** The shape every language's catalogue has (English's keys, any wording). */
export type Catalogue = DeepStrings<typeof en>;
type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };
