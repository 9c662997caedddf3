/** The platform's two services as the launcher runs them. */
export interface PlatformService {
  name: 'identity-backend' | 'authorization-server';
  entry: string;
  database: string;
  port: number;
  /** Env var that moves the service to another port. */
  portVar: string;
  /** Env var that points the launcher at an external database for this service. */
  databaseUrlVar: string;
}

export function platformServices(env: NodeJS.ProcessEnv): PlatformService[] {
  return [
    {
      name: 'identity-backend',
      entry: 'dist/apps/identity-backend/src/main.js',
      database: 'identity',
      port: Number(env.IDENTITY_PORT ?? 3001),
      portVar: 'IDENTITY_PORT',
      databaseUrlVar: 'IDENTITY_DATABASE_URL',
    },
    {
      name: 'authorization-server',
      entry: 'dist/apps/authorization-server/src/main.js',
      database: 'authz',
      port: Number(env.AUTHZ_PORT ?? 3000),
      portVar: 'AUTHZ_PORT',
      databaseUrlVar: 'AUTHZ_DATABASE_URL',
    },
  ];
}
