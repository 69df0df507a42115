// Looks of the message list and its rows (kept apart: the list's logic is long enough).
import { css } from 'lit';

export const messageListStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    position: relative;
  }
  .scroller {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overflow-anchor: none;
    display: flex;
    flex-direction: column-reverse;
    overscroll-behavior: contain;
    padding: 0 4px;
    border-radius: var(--radius);
  }
  .spacer {
    position: relative;
    flex: none;
  }
  .window {
    position: absolute;
    left: 0;
    right: 0;
    /* An empty "Messages" list still has a box, so it counts as shown (e.g. to Playwright). */
    min-height: 1px;
  }
  .jump {
    position: absolute;
    bottom: 12px;
    left: 50%;
    transform: translateX(-50%);
    z-index: 1;
    min-height: 36px;
    padding: 6px 14px;
    border-radius: 999px;
    background: var(--accent-strong);
    color: #fff;
    box-shadow: 0 6px 20px rgba(0, 0, 0, 0.4);
  }
  .note {
    text-align: center;
    color: var(--text-dim);
    font-size: 0.88rem;
    margin: 12px 0;
  }
  .message {
    display: flex;
    padding: 3px 0;
  }
  .message.own {
    justify-content: flex-end;
  }
  .bubble {
    max-width: min(78%, 640px);
    padding: 8px 12px;
    border-radius: 14px;
    background: var(--glass-strong);
    border: 1px solid var(--glass-border);
  }
  .own .bubble {
    background: rgba(79, 125, 255, 0.28);
    border-color: rgba(122, 162, 255, 0.45);
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: baseline;
    font-size: 0.8rem;
    color: var(--text-dim);
  }
  .author {
    font-weight: 700;
    color: var(--text);
  }
  .text {
    margin: 2px 0 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .delivery {
    margin-top: 2px;
    text-align: right;
    font-size: 0.75rem;
    color: var(--text-dim);
  }
  .delivery.pending {
    color: var(--warn);
  }
  .delivery.delivered {
    color: var(--ok);
  }
  @media (max-width: 480px) {
    .bubble {
      max-width: 88%;
    }
  }
`;
