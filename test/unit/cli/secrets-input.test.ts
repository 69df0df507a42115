import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  promptHidden,
  PromptError,
  readSecretFile,
  SecretFileError,
} from '../../../client/cli/secrets-input';

function fakeTerminal() {
  const input = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode(m: boolean): void };
  const rawModes: boolean[] = [];
  input.isTTY = true;
  input.setRawMode = (mode: boolean) => void rawModes.push(mode);
  let shown = '';
  const output = { write: (text: string) => (shown += text) };
  return { input, output, rawModes, shown: () => shown };
}

describe('password input', () => {
  it('asks on the terminal without echoing, honouring backspace', async () => {
    const terminal = fakeTerminal();
    const answer = promptHidden('Password for alice: ', terminal.input, terminal.output);
    terminal.input.write('correct horse');
    terminal.input.write('x\u007f battery\r');
    await expect(answer).resolves.toBe('correct horse battery');
    expect(terminal.shown()).toBe('Password for alice: \n');
    expect(terminal.rawModes).toEqual([true, false]);
  });

  it('cancels on Ctrl-C and restores the terminal', async () => {
    const terminal = fakeTerminal();
    const answer = promptHidden('Password: ', terminal.input, terminal.output);
    terminal.input.write('abc\u0003');
    await expect(answer).rejects.toThrow(PromptError);
    expect(terminal.rawModes).toEqual([true, false]);
  });

  it('says to use --password-file when there is no terminal', async () => {
    const pipe = new PassThrough();
    await expect(promptHidden('Password: ', pipe, { write: () => true })).rejects.toThrow(
      /--password-file/,
    );
  });

  it('reads a password file without its final newline, and explains a bad file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-secret-'));
    writeFileSync(path.join(dir, 'pw'), ' spaced pass \n');
    writeFileSync(path.join(dir, 'empty'), '\n');
    await expect(readSecretFile(path.join(dir, 'pw'), 'password')).resolves.toBe(' spaced pass ');
    await expect(readSecretFile(path.join(dir, 'empty'), 'password')).rejects.toThrow(/is empty/);
    await expect(readSecretFile(path.join(dir, 'nope'), 'room password')).rejects.toThrow(
      new SecretFileError(
        `Cannot read the room password file "${path.join(dir, 'nope')}": there is no such file.`,
      ),
    );
  });
});
