import { Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The live provider instance. Its keys and scopes are fixed at construction, so a key
 * rotation or a new resource server builds a new one; requests already in flight finish
 * on the old instance, new ones go to the new.
 */
@Injectable()
export class OidcProviderHolder {
  private current: { provider: Provider; handler: Handler } | null = null;
  private build: (() => Promise<Provider>) | null = null;

  async initialize(build: () => Promise<Provider>): Promise<void> {
    this.build = build;
    await this.reload();
  }

  async reload(): Promise<void> {
    const provider = await this.build!();
    this.current = { provider, handler: provider.callback() };
  }

  get provider(): Provider {
    return this.current!.provider;
  }

  readonly handle: Handler = (req, res) => this.current!.handler(req, res);
}
