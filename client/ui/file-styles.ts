// The look of a file in the conversation and of files being attached.
import { css } from 'lit';

export const fileStyles = css`
  :host {
    display: block;
  }
  .file {
    display: grid;
    gap: 6px;
    margin-top: 4px;
    padding: 8px 10px;
    border-radius: 10px;
    background: rgba(0, 0, 0, 0.22);
    border: 1px solid var(--glass-border);
    min-width: min(280px, 60vw);
  }
  .name {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .facts,
  .line {
    font-size: 0.8rem;
    color: var(--text-dim);
  }
  progress {
    width: 100%;
    height: 8px;
    accent-color: var(--accent);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .actions button {
    min-height: 36px;
    padding: 4px 12px;
  }
  .preview {
    max-width: 100%;
    max-height: 240px;
    height: 240px;
    object-fit: contain;
    border-radius: 8px;
    justify-self: start;
  }
  .failed {
    color: var(--danger, #ff8a8a);
  }
`;
