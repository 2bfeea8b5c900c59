import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import { InputPipe, inputProblems, nestedDeeperThan, nullProblems } from './input-guards';

class Inner {
  @ApiPropertyOptional() @IsOptional() @IsString() name?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() note?: string | null;
}

class Outer {
  @ApiProperty() @IsString() title: string;
  @ApiPropertyOptional() @IsOptional() @ValidateNested() @Type(() => Inner) inner?: Inner;
  @ApiPropertyOptional({ type: [Inner] }) @IsOptional() @ValidateNested({ each: true }) @Type(() => Inner) list?: Inner[];
}

const deep = (n: number) => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = [v];
  return v;
};

describe('input guards', () => {
  it('measures nesting without recursion, even 100 000 deep', () => {
    expect(nestedDeeperThan(deep(32), 32)).toBe(false);
    expect(nestedDeeperThan(deep(33), 32)).toBe(true);
    expect(nestedDeeperThan(deep(100_000), 32)).toBe(true);
    expect(nestedDeeperThan('text', 1)).toBe(false);
  });

  it('names every NUL and prototype key by its path', () => {
    const body = JSON.parse('{"a":"x\\u0000","b":[{"c":"ok"},{"d":"\\u0000"}],"__proto__":{},"e":{"constructor":1}}');
    expect(
      inputProblems(body, '')
        .map((p) => p.field)
        .sort(),
    ).toEqual(['__proto__', 'a', 'b.1.d', 'e.constructor']);
    expect(inputProblems('a\u0000', 'id')).toEqual([{ field: 'id', reason: 'must not contain NUL characters' }]);
    expect(inputProblems('BEGIN\u0000', '')).toEqual([{ field: '(body)', reason: 'must not contain NUL characters' }]);
    expect(inputProblems({ ok: 'fine', n: 1 }, '')).toEqual([]);
  });

  it('refuses null unless the DTO documents the field nullable, nested DTOs included', async () => {
    const pipe = new InputPipe();
    const meta = { type: 'body' as const, metatype: Outer, data: undefined };
    await expect(pipe.transform({ title: 'x', inner: { note: null } }, meta)).resolves.toBeInstanceOf(Outer);
    await expect(pipe.transform({ title: 'x', inner: { name: null } }, meta)).rejects.toMatchObject({
      response: { errors: [{ field: 'inner.name', reason: 'name must not be null' }] },
    });
    await expect(pipe.transform({ title: 'x', list: [{}, { name: null }] }, meta)).rejects.toMatchObject({
      response: { errors: [{ field: 'list.1.name' }] },
    });
    expect(nullProblems({ plain: null })).toEqual([]); // a plain object (free-form data) is the domain's to check
  });

  it('checks path parameters and query values before validation', async () => {
    const pipe = new InputPipe();
    await expect(pipe.transform('C-1\u0000', { type: 'param', metatype: String, data: 'id' })).rejects.toMatchObject({
      response: { errors: [{ field: 'id' }] },
    });
    await expect(pipe.transform({ name: '\u0000' }, { type: 'query', metatype: Object, data: undefined })).rejects.toMatchObject({
      response: { errors: [{ field: 'name' }] },
    });
  });
});
