import { SnakeNamingStrategy } from './snake-naming.strategy';

describe('SnakeNamingStrategy', () => {
  const naming = new SnakeNamingStrategy();

  it('maps camelCase properties to snake_case columns', () => {
    expect(naming.columnName('createdAt', undefined, [])).toBe('created_at');
    expect(naming.columnName('displayName', undefined, ['profile'])).toBe('profile_display_name');
  });

  it('keeps explicit names', () => {
    expect(naming.tableName('UserAccount', 'users')).toBe('users');
    expect(naming.columnName('x', 'custom_col', [])).toBe('custom_col');
  });

  it('derives table names from class names', () => {
    expect(naming.tableName('OidcModelInstance')).toBe('oidc_model_instance');
  });
});
