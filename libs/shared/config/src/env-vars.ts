import { z } from 'zod';

/** Reusable validators for environment variables, each with a message an operator can act on. */

export const port = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .refine((v) => /^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535, {
      message: 'must be an integer between 1 and 65535',
    })
    .transform(Number);

export const positiveInt = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .refine((v) => /^\d+$/.test(v) && Number(v) > 0, { message: 'must be a positive integer' })
    .transform(Number);

export const nonNegativeInt = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .refine((v) => /^\d+$/.test(v), { message: 'must be a non-negative integer' })
    .transform(Number);

export const postgresUrl = () =>
  z.string({ error: 'is required (postgres://user:password@host:port/database)' }).refine(
    (v) => {
      try {
        const url = new URL(v);
        return ['postgres:', 'postgresql:'].includes(url.protocol) && url.hostname !== '' && url.pathname.length > 1;
      } catch {
        return false;
      }
    },
    { message: 'must be a postgres://user:password@host:port/database URL' },
  );

export const httpUrl = () =>
  z
    .string()
    .refine((v) => URL.canParse(v) && ['http:', 'https:'].includes(new URL(v).protocol), {
      message: 'must be an http(s):// URL',
    })
    .transform((v) => v.replace(/\/+$/, ''));

/** Comma-separated host:port list; empty or unset means "no broker configured". */
export const kafkaBrokers = () =>
  z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    )
    .refine((brokers) => brokers.every((b) => /^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(b)), {
      message: 'must be a comma-separated list of host:port',
    });

export const logLevel = () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

export const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/**
 * `kid:base64(32 bytes)[,kid:...]` for the data-encryption keyring. Optional here; each
 * service requires it in production (see requiredInProduction).
 */
export const keyringSpec = (isValid: (spec: string) => boolean) =>
  z
    .string()
    .optional()
    .refine((v) => v === undefined || isValid(v), { message: 'must be kid:<32 bytes base64>[,kid:...]' });

/** For a whole service schema's superRefine: `name` must be set when NODE_ENV=production. */
export const requiredInProduction =
  (name: string) =>
  (config: { NODE_ENV: string } & Record<string, unknown>, ctx: z.RefinementCtx): void => {
    if (config.NODE_ENV === 'production' && config[name] === undefined) {
      ctx.addIssue({ code: 'custom', path: [name], message: 'is required in production' });
    }
  };
