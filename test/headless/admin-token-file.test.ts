import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { adminTokenPath, loadAdminToken } from '../../main/headless/admin-token-file'

describe('the admin token of --ui, kept beside the settings file', () => {
  test('is made once, readable by its owner only, and the same on every later start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-token-'))
    try {
      const file = adminTokenPath(join(dir, 'lab.json'))
      assert.equal(file, join(dir, 'lab.json.admin-token'))
      const first = await loadAdminToken(file)
      assert.equal(first.file, file)
      assert.ok(first.token.length >= 32)
      assert.equal(statSync(file).mode & 0o777, 0o600)
      assert.equal((await loadAdminToken(file)).token, first.token)
      // Copied with looser rights: tightened, still the same token.
      chmodSync(file, 0o644)
      assert.equal((await loadAdminToken(file)).token, first.token)
      assert.equal(statSync(file).mode & 0o777, 0o600)
      // A file too short to be a token is replaced.
      writeFileSync(file, 'short\n')
      const replaced = await loadAdminToken(file)
      assert.notEqual(replaced.token, 'short')
      assert.equal((await loadAdminToken(file)).token, replaced.token)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a place where it cannot be kept is reported, never fatal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-token-'))
    try {
      const file = adminTokenPath(join(dir, 'missing-dir', 'lab.json'))
      const kept = await loadAdminToken(file)
      assert.equal(kept.file, null)
      assert.ok(kept.token.length >= 32)
      assert.match(kept.problem ?? '', /ENOENT/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
