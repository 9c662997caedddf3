import { createHash } from 'node:crypto';

/**
 * The hosted pages' only script: passkey sign-in on the login page (a "Sign in with a passkey"
 * button, and conditional UI, the browser offering passkeys in the username field's autofill) and
 * the passkey as the second factor on the MFA page. It is a same-origin file whose name carries
 * its hash, loaded by a <script> with the page's nonce (script-src has that nonce and nothing
 * else: no inline code, no other file runs). The page works without it: the button stays hidden
 * and the password form is a plain form.
 *
 * The form `#passkey-form` carries the WebAuthn request options (JSON, from the identity backend)
 * in `data-options`; the script runs navigator.credentials.get() with them, puts the assertion's
 * JSON into the form's `credential` field and submits it (the form has the CSRF token). Only
 * browsers with the WebAuthn Level 3 JSON methods are offered passkeys (every current one).
 */
export const PASSKEY_SCRIPT = `(function () {
  'use strict';
  var form = document.getElementById('passkey-form');
  var PKC = window.PublicKeyCredential;
  if (!form || !PKC || typeof PKC.parseRequestOptionsFromJSON !== 'function' || !navigator.credentials) return;
  var options = JSON.parse(form.getAttribute('data-options'));
  var host = location.hostname;
  var rpId = options.rpId || host;
  // A relying party this page cannot use (another domain, or an IP address, which WebAuthn refuses):
  // no button that can only fail.
  if (/^[0-9.]+$|:/.test(rpId)) return;
  if (host !== rpId && host.slice(-rpId.length - 1) !== '.' + rpId) return;
  var field = form.querySelector('input[name="credential"]');
  var button = document.getElementById('passkey-button');
  var status = document.getElementById('passkey-status');
  var pending = null;
  var settled = Promise.resolve();

  function run(mediation) {
    if (pending) pending.abort();
    var controller = new AbortController();
    pending = controller;
    var request = { publicKey: PKC.parseRequestOptionsFromJSON(options), signal: controller.signal };
    if (mediation) request.mediation = mediation;
    form.setAttribute('data-state', mediation || 'modal');
    // A browser takes one request at a time: the next starts once the aborted one has ended.
    settled = settled
      .then(function () {
        return navigator.credentials.get(request);
      })
      .then(
        function (credential) {
          if (!credential || pending !== controller) return;
          field.value = JSON.stringify(credential.toJSON());
          // "Remember this device" is the code form's checkbox: its answer goes with the passkey too.
          var remember = document.getElementById('remember');
          var carried = form.querySelector('input[type="hidden"][name="remember"]');
          if (remember && carried) carried.value = remember.checked ? '1' : '';
          form.setAttribute('data-state', 'submitting');
          form.submit();
        },
        function (error) {
          if (pending !== controller) return;
          form.setAttribute('data-state', 'failed');
          // Cancelling the conditional request (the button was pressed) is not a failure to show.
          if (mediation || (error && error.name === 'AbortError')) return;
          // An alert only once shown: a hidden one would still be one more alert on the page.
          status.setAttribute('role', 'alert');
          status.hidden = false;
        }
      );
  }

  button.hidden = false;
  button.addEventListener('click', function () {
    status.hidden = true;
    status.removeAttribute('role');
    run(null);
  });
  // Conditional UI only on a fresh login page: after a refused passkey it would offer it again at once.
  if (form.getAttribute('data-conditional') === 'true' && typeof PKC.isConditionalMediationAvailable === 'function') {
    PKC.isConditionalMediationAvailable().then(function (available) {
      if (available) run('conditional');
    });
  }
})();
`;

const hash = createHash('sha256').update(PASSKEY_SCRIPT).digest('hex').slice(0, 16);

/** Where the passkey pages load the script from; the hash in the name makes a year's caching safe. */
export const PASSKEY_SCRIPT_PATH = `/assets/passkeys-${hash}.js`;
