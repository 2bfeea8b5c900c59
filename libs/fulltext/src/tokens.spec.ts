import { cjkBigrams, codeKeysIn, documentTokens, errorCodeKey, looksChinese, queryTerms, toSearchDocument, toTsQuery } from './tokens';

describe('full-text tokens for zh-CN and en', () => {
  it('splits CJK runs into overlapping bigrams and keeps a lone character', () => {
    expect(cjkBigrams('阵列离线')).toEqual(['阵列', '列离', '离线']);
    expect(documentTokens('盘')).toEqual(['盘']);
    expect(documentTokens('存储阵列离线，数据丢失')).toEqual(['存储', '储阵', '阵列', '列离', '离线', '数据', '据丢', '丢失']);
  });

  it('finds the query "阵列离线" inside the symptom "存储阵列离线，数据丢失"', () => {
    const doc = new Set(documentTokens('存储阵列离线，数据丢失'));
    const terms = queryTerms('阵列离线').map((t) => t.replace(/'/g, ''));
    expect(terms).toEqual(['阵列', '列离', '离线']);
    expect(terms.every((t) => doc.has(t))).toBe(true);
    // a phrase that is not there: 阵列丢失 shares 阵列 but not 列丢
    expect(queryTerms('阵列丢失').every((t) => doc.has(t.replace(/'/g, '')))).toBe(false);
  });

  it('lowercases Latin words and leaves stemming to PostgreSQL', () => {
    expect(documentTokens('Controller CRASHES after Update')).toEqual(['controller', 'crashes', 'after', 'update']);
  });

  it('keeps error codes and model numbers whole, without separators, and indexes their letter parts', () => {
    expect(documentTokens('E42 0x8007000E RAID-5 ORA-00600')).toEqual(['e42', '0x8007000e', 'raid5', 'raid', 'ora00600', 'ora']);
    expect(errorCodeKey('RAID-5')).toBe(errorCodeKey('raid5'));
    expect(errorCodeKey('Ｅ４２')).toBe('e42');
    expect(errorCodeKey(' 0x8007000E ')).toBe('0x8007000e');
  });

  it('picks the codes out of a free text, not plain numbers', () => {
    expect(codeKeysIn('阵列报错 E42，RAID-5 降级 3 次, disk 2')).toEqual(['e42', 'raid5']);
  });

  it('separates CJK from adjacent Latin and codes', () => {
    expect(documentTokens('硬盘E42报错')).toEqual(['硬盘', 'e42', '报错']);
  });

  it('builds AND and OR queries, with a prefix for a one-character CJK run', () => {
    expect(toTsQuery('阵列离线 crashes')).toBe("'阵列' & '列离' & '离线' & 'crashes'");
    expect(toTsQuery('阵列 E42', 'any')).toBe("'阵列' | 'e42'");
    expect(toTsQuery('盘')).toBe("'盘':*");
    expect(toTsQuery('  ，。!? ')).toBe('');
    // nothing from the input reaches the query syntax
    expect(toTsQuery("x') | !(y & z:*")).toBe("'x' & 'y' & 'z'");
  });

  it('concatenates several fields into one document and detects Chinese text', () => {
    expect(toSearchDocument('Disk', null, '磁盘')).toBe('disk 磁盘');
    expect(looksChinese('磁盘 offline')).toBe(true);
    expect(looksChinese('disk offline')).toBe(false);
  });
});
