// The look of the room screen's dialogs (invite, verify, settings, confirmations): native
// <dialog> elements opened with showModal(), so focus stays inside and Escape closes.
import { css } from 'lit';

export const dialogStyles = css`
  dialog {
    width: min(520px, calc(100vw - 24px));
    max-height: calc(100vh - 24px);
    overflow: auto;
    padding: 20px;
    color: var(--text);
    background: rgba(20, 26, 48, 0.92);
    border: 1px solid var(--glass-border);
    border-radius: var(--radius);
    box-shadow: 0 20px 60px rgba(0, 0, 0, 0.55);
    backdrop-filter: blur(18px) saturate(140%);
  }
  dialog::backdrop {
    background: rgba(5, 8, 20, 0.6);
    backdrop-filter: blur(2px);
  }
  .qr {
    display: flex;
    justify-content: center;
    margin-top: 14px;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    justify-content: flex-end;
    margin-top: 16px;
  }
`;
