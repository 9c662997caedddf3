/** Thrown at boot when the environment does not describe a runnable service. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
