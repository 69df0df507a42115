// The room engine's views (client/core/views.ts) as the terminal client reports them.
import type { MemberView, MessageView } from '../core/views';
import type { FileView } from '../core/files/file-views';
import type { CliEvent, FileInfo, MemberInfo } from './events';

export function memberInfo(member: MemberView): MemberInfo {
  return {
    username: member.username,
    name: member.displayName || member.username,
    fingerprint: member.fingerprint,
    online: member.online,
    trust: member.trust,
    verified: member.verified,
  };
}

export function messageEvent(view: MessageView): Extract<CliEvent, { event: 'message' }> {
  return {
    event: 'message',
    id: view.id,
    time: view.sentAt,
    username: view.username,
    name: view.displayName || view.username,
    text: view.text,
    own: view.own,
    ...(view.file
      ? { file: { id: view.file.id, name: view.file.name, size: view.file.size } }
      : {}),
  };
}

export function fileInfo(view: FileView): FileInfo {
  return {
    id: view.id,
    name: view.name,
    size: view.size,
    type: view.type,
    sha256: view.sha256,
    from: view.from,
    own: view.own,
    state: view.state,
    received: view.received,
  };
}

/** SAS emoji as printable strings, whether the engine gives strings or {emoji, name}. */
export function sasEmoji(emoji: unknown): string[] {
  if (!Array.isArray(emoji)) return [];
  return emoji.map((item: unknown) => {
    if (typeof item === 'string') return item;
    const { emoji: symbol, name } = (item ?? {}) as { emoji?: unknown; name?: unknown };
    return [symbol, name ? `(${String(name)})` : ''].filter(Boolean).join(' ');
  });
}
