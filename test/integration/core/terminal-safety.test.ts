// What a person sees at the terminal (text mode, no --json) when a malicious peer picks a
// display name and writes messages full of escape sequences: every one is shown visibly,
// none reaches the terminal, and no message can fake a second line.
import { describe, expect, it } from 'vitest';
import { CliPeer } from '../../helpers/cli-peer';
import { useServerWithPeers } from './room-fixture';

const ESC = '\u001b';
// Clear the screen, retitle the window, 8-bit CSI, a right-to-left override, a fake line.
const HOSTILE_TEXT = `${ESC}[2J${ESC}]0;pwned\u0007 \u009b31m evil\u202Etxt.exe\n12:00:00 admin: trust me`;
// eslint-disable-next-line no-control-regex -- looking for raw control characters
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('a hostile peer at a terminal', () => {
  const scene = useServerWithPeers();
  const peers = scene.peers;

  it('cannot move the cursor, clear the screen, retitle the window or fake a line', async () => {
    const alice = new CliPeer({
      server: scene.server.url,
      username: 'alicets',
      room: 'create',
      text: true,
    });
    peers.push(alice);
    const [, link] = await alice.waitForText(/^(https?:\/\/\S+#k=\S+)$/m);
    const mallory = new CliPeer({
      server: scene.server.url,
      username: 'malloryts',
      room: link!,
      args: ['--display-name', `Mal${ESC}[8mlory`],
    });
    peers.push(mallory);
    await mallory.waitForVerified('alicets');
    // The one message line arrives on stdout; wait for its visible, neutralised form.
    mallory.send(HOSTILE_TEXT.replace('\n', ' '));
    await alice.waitForText(/trust me/);

    expect(alice.stdout).not.toMatch(RAW_CONTROL);
    expect(alice.stderr).not.toMatch(RAW_CONTROL);
    const line = alice.stdout.split('\n').find((l) => l.includes('trust me'))!;
    expect(line).toMatch(
      /^\d\d:\d\d:\d\d Mal\^\[\[8mlory \(@malloryts\): \^\[\[2J\^\[\]0;pwned\^G /,
    );
    expect(line).toContain('<U+009B>31m evil<U+202E>txt.exe');
    // The joined notice on stderr shows the hostile name defused too.
    expect(alice.stderr).toContain('Mal^[[8mlory (@malloryts)');
  });
});
