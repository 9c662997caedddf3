import { ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { IsOptional, IsString, Length, validate } from 'class-validator';
import { OptionalStringField, OptionalUuidField, StringField } from './dto-fields';

/** The stack OptionalStringField([1, 10]) stands for, written out. */
class Stacked {
  @ApiPropertyOptional({ description: 'x' })
  @IsOptional()
  @IsString()
  @Length(1, 10)
  value?: string;
}

class Composed {
  @OptionalStringField([1, 10], { description: 'x' }) value?: string;
}

const messagesOf = async (type: new () => object, body: object) =>
  (await validate(plainToInstance(type, body))).flatMap((error) => Object.values(error.constraints ?? {}));

describe('dto fields', () => {
  it('refuse a value with the messages, in the order, of the stack they stand for', async () => {
    for (const body of [{ value: 42 }, { value: '' }, { value: 'x'.repeat(11) }]) {
      expect(await messagesOf(Composed, body)).toEqual(await messagesOf(Stacked, body));
    }
    expect(await messagesOf(Composed, { value: 42 })).toHaveLength(2);
  });

  it('let an optional property be left out, not a required one', async () => {
    class Required {
      @StringField(10) name!: string;
      @OptionalUuidField() tenantId?: string;
    }
    expect(await messagesOf(Required, {})).toEqual([
      'name must be shorter than or equal to 10 characters',
      'name must be a string',
    ]);
    expect(await messagesOf(Required, { name: 'ok', tenantId: 'nope' })).toEqual(['tenantId must be a UUID']);
  });
});
