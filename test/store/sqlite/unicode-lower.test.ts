import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unicodeLower } from '../../../src/store/sqlite/unicode-lower.js';

test('unicodeLower lowers letter by letter in every script, as PostgreSQL\'s lower() on a glibc UTF-8 locale', () => {
  assert.equal(unicodeLower('Übergabe ÄÖÜ'), 'übergabe äöü');
  assert.equal(unicodeLower('ВСТРЕЧА Ё'), 'встреча ё');
  // JavaScript alone would end the word with ς; PostgreSQL writes σ.
  assert.equal(unicodeLower('ΟΔΟΣ ΣΑΣ'), 'οδοσ σασ');
  assert.equal(unicodeLower('İstanbul'), 'istanbul');
  assert.equal(unicodeLower('产品周会 100%_x'), '产品周会 100%_x');
  assert.equal(unicodeLower('ASCII Only'), 'ascii only');
});
