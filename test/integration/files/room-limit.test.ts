// The room's maximum file size, end to end through the real server and real WebRTC: the
// host sets it at creation, every member learns it on admit, a larger file is refused by
// its sender with a message that names the limit, a smaller one arrives verified, and an
// offer that claims more than the limit (a misbehaving sender) is refused by the receiver.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, TEST_PASSWORD } from '../../helpers/api';
import { startTestServer, type TestServer } from '../../helpers/server';
import { FilePeer } from './file-peer-process';
import { makeFile } from './test-files';

const LIMIT = 1_000_000;
const LIMIT_MESSAGE = 'This room accepts files up to 1 MB.';

describe('a room with a maximum file size', () => {
  let server: TestServer;
  let dir: string;
  let host: FilePeer;
  let member: FilePeer;

  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'files-limit-'));
    const client = api(server.url);
    for (const name of ['limit-host', 'limit-member']) await client.register(name);
    host = new FilePeer(server.url, 'limit-host', TEST_PASSWORD, join(dir, 'host'));
    member = new FilePeer(server.url, 'limit-member', TEST_PASSWORD, join(dir, 'member'));
    await Promise.all([host.waitFor('started'), member.waitFor('started')]);
    host.command({ cmd: 'create', maxFileBytes: String(LIMIT) });
    const { link } = await host.waitFor('ready');
    member.command({ cmd: 'join', link });
    await Promise.all([host.waitFor('peer-joined'), member.waitFor('peer-joined')]);
  });
  afterAll(async () => {
    await Promise.all([host?.stop(), member?.stop()]);
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses the host's and a member's file above the limit, naming the limit", async () => {
    const big = await makeFile(dir, 'too-big.bin', LIMIT + 1, 3);
    host.command({ cmd: 'send-file', path: big.path });
    const refused = await host.waitFor('failed', (e) => e.cmd === 'send-file');
    expect(refused).toMatchObject({ name: 'FileActionError', code: 'too-large' });
    expect(refused.message).toBe(LIMIT_MESSAGE);

    // The member never chose the limit: it came with the room on admit.
    member.command({ cmd: 'send-file', path: big.path });
    const alsoRefused = await member.waitFor('failed', (e) => e.cmd === 'send-file');
    expect(alsoRefused).toMatchObject({ code: 'too-large', message: LIMIT_MESSAGE });

    host.command({ cmd: 'files' });
    const { files } = await host.waitFor('files');
    expect(files).toEqual([]);
  });

  it('a file at the limit goes through and arrives verified', async () => {
    const fits = await makeFile(dir, 'fits.bin', LIMIT, 4);
    host.command({ cmd: 'send-file', path: fits.path });
    const sent = await host.waitFor('file-sent', (e) => e.name === 'fits.bin', 30_000);
    const offered = await member.waitFor('file-offered', (e) => e.id === sent.id);
    expect(offered).toMatchObject({ size: LIMIT, state: 'offered' });
    member.command({ cmd: 'fetch', id: sent.id });
    await member.waitFor('file-complete', (e) => e.id === sent.id, 60_000);
    member.command({ cmd: 'save', id: sent.id });
    const saved = await member.waitFor('saved', (e) => e.id === sent.id);
    expect(saved).toMatchObject({ sha256: fits.sha256, bytes: LIMIT });
  });

  it('an offer claiming more than the limit is refused by the receiver (bad-offer)', async () => {
    // The host's device misbehaves: its posted offer claims 10 MB more than the file holds.
    host.command({ cmd: 'fault', mode: 'oversize' });
    await host.waitFor('fault-set', (e) => e.mode === 'oversize');
    const small = await makeFile(dir, 'claims-big.bin', 1000, 5);
    host.command({ cmd: 'send-file', path: small.path });
    const sent = await host.waitFor('file-sent', (e) => e.name === 'claims-big.bin', 30_000);
    const offered = await member.waitFor('file-offered', (e) => e.id === sent.id);
    expect(offered).toMatchObject({ state: 'failed', error: { reason: 'bad-offer' } });
    expect((offered.error as { message: string }).message).toContain(LIMIT_MESSAGE);

    member.command({ cmd: 'fetch', id: sent.id });
    const refused = await member.waitFor('failed', (e) => e.cmd === 'fetch');
    expect(refused).toMatchObject({ code: 'too-large', message: LIMIT_MESSAGE });
    member.command({ cmd: 'stored' });
    const { files } = await member.waitFor('stored');
    expect(files).toEqual([expect.objectContaining({ size: LIMIT })]);
  });
});
