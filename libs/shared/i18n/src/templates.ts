import { Eta } from 'eta';

/**
 * The platform's one template engine (eta), set up the same way wherever HTML is rendered: the
 * hosted pages of the authorization server and the identity backend's HTML emails. `<%= x %>`
 * escapes (autoEscape), `<%~ x %>` prints raw; templates are registered by name in code
 * (`engine.loadTemplate('@name', source)`), nothing is read from disk, so the build ships them.
 */
export function createTemplateEngine(): Eta {
  return new Eta({ autoEscape: true, cache: true, autoTrim: false });
}

export type TemplateEngine = Eta;
