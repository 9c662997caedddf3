import { Logger } from '@nestjs/common';
import type { OidcProviderHolder } from '../oidc/oidc-provider.holder';
import { InteractionsService } from './interactions.service';
import { request, response } from './steps/steps.spec-helper';

describe('InteractionsService', () => {
  afterEach(() => jest.restoreAllMocks());

  /** The service around a provider whose interactionDetails fails with `failure`; the steps are never reached. */
  function serviceFailingWith(failure: Error): InteractionsService {
    const oidc = {
      provider: { interactionDetails: async () => Promise.reject(failure) },
    } as unknown as OidcProviderHolder;
    // Only the provider is used before a step runs; the rest of the wiring stays out.
    const WithProviderOnly = InteractionsService as unknown as new (oidc: OidcProviderHolder) => InteractionsService;
    return new WithProviderOnly(oidc);
  }

  it('logs why the interaction could not be loaded, and still answers with the expired page', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    // As oidc-provider's SessionNotFound: the code as message, the reason as error_description.
    const failure = Object.assign(new Error('invalid_request'), {
      error_description: 'interaction session not found',
    });
    const req = request({ cookie: '_interaction=secret-cookie-value' });

    const outcome = await serviceFailingWith(failure).show(req, response());

    expect(outcome).toMatchObject({ status: 400 });
    expect(outcome?.body).toContain('interaction_expired');
    expect(warn).toHaveBeenCalledTimes(1);
    const [message] = warn.mock.calls[0]!;
    expect(message).toEqual(expect.stringContaining('invalid_request'));
    expect(message).toEqual(expect.stringContaining('interaction session not found'));
    expect(message).not.toEqual(expect.stringContaining('secret-cookie-value'));
  });

  it('logs a plain error by its message, for a form post too', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

    const outcome = await serviceFailingWith(new Error('adapter unavailable')).login(
      request(),
      response(),
      { csrf: 'x' },
      '127.0.0.1',
    );

    expect(outcome).toMatchObject({ status: 400 });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('adapter unavailable'));
  });
});
