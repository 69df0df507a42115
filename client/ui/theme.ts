// The look shared by every element: dark, glassy panels, large touch targets, visible focus.
// Styles travel as constructable stylesheets (Lit's `static styles` and
// document.adoptedStyleSheets), so the strict CSP (style-src 'self', no inline styles) holds.
import { css } from 'lit';

/** For the document itself (main.ts adopts it): background, font, the variables below. */
export const documentStyles = css`
  :root {
    color-scheme: dark;
    --bg: #0b1020;
    --bg-accent: #1b2550;
    --glass: rgba(255, 255, 255, 0.06);
    --glass-strong: rgba(255, 255, 255, 0.1);
    --glass-border: rgba(255, 255, 255, 0.14);
    --text: #e8ecf8;
    --text-dim: #a7b0cc;
    --accent: #7aa2ff;
    --accent-strong: #4f7dff;
    --ok: #5ad1a0;
    --warn: #ffc46b;
    --danger: #ff7a85;
    --radius: 14px;
    --gap: 16px;
    --font: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif;
  }
  html,
  body {
    margin: 0;
    min-height: 100%;
    background:
      radial-gradient(1200px 600px at 10% -10%, var(--bg-accent), transparent 60%),
      radial-gradient(900px 500px at 110% 10%, #2a1846, transparent 60%), var(--bg);
    background-attachment: fixed;
    color: var(--text);
    font-family: var(--font);
    font-size: 16px;
    line-height: 1.45;
  }
  #app {
    min-height: 100vh;
  }
`;

/** For every element's shadow root: panels, controls, messages. */
export const theme = css`
  :host {
    box-sizing: border-box;
    color: var(--text);
    font-family: var(--font);
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  .panel {
    background: var(--glass);
    border: 1px solid var(--glass-border);
    border-radius: var(--radius);
    padding: var(--gap);
    backdrop-filter: blur(14px) saturate(140%);
    -webkit-backdrop-filter: blur(14px) saturate(140%);
    box-shadow: 0 10px 30px rgba(0, 0, 0, 0.35);
  }
  .panel + .panel {
    margin-top: var(--gap);
  }
  h1,
  h2,
  h3 {
    margin: 0 0 12px;
    line-height: 1.2;
  }
  h2 {
    font-size: 1.15rem;
  }
  h3 {
    font-size: 1rem;
  }
  p {
    margin: 0 0 10px;
  }
  .hint {
    color: var(--text-dim);
    font-size: 0.9rem;
  }
  form {
    display: grid;
    gap: 12px;
  }
  label {
    display: grid;
    gap: 4px;
    font-size: 0.92rem;
    color: var(--text-dim);
  }
  input[type='text'],
  input[type='password'],
  input[type='url'],
  select {
    width: 100%;
    min-height: 44px;
    padding: 10px 12px;
    border-radius: 10px;
    border: 1px solid var(--glass-border);
    background: rgba(0, 0, 0, 0.25);
    color: var(--text);
    font: inherit;
  }
  input::placeholder {
    color: #7c86a6;
  }
  button,
  .button {
    min-height: 44px;
    padding: 10px 16px;
    border-radius: 10px;
    border: 1px solid var(--glass-border);
    background: var(--glass-strong);
    color: var(--text);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
    text-decoration: none;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
  }
  button:hover,
  .button:hover {
    background: rgba(255, 255, 255, 0.16);
  }
  button.primary {
    background: linear-gradient(135deg, var(--accent-strong), #8a5cff);
    border-color: transparent;
    color: #fff;
  }
  button.danger {
    background: rgba(255, 122, 133, 0.16);
    border-color: rgba(255, 122, 133, 0.5);
    color: #ffd5d9;
  }
  button.link {
    background: none;
    border: none;
    color: var(--accent);
    padding: 4px;
    min-height: 0;
    font-weight: 500;
    text-decoration: underline;
  }
  button:disabled {
    opacity: 0.55;
    cursor: progress;
  }
  :focus-visible {
    outline: 3px solid var(--accent);
    outline-offset: 2px;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  .error {
    color: #ffd5d9;
    background: rgba(255, 122, 133, 0.12);
    border: 1px solid rgba(255, 122, 133, 0.45);
    border-radius: 10px;
    padding: 10px 12px;
    margin: 0;
  }
  .notice {
    color: var(--text);
    background: rgba(122, 162, 255, 0.12);
    border: 1px solid rgba(122, 162, 255, 0.4);
    border-radius: 10px;
    padding: 10px 12px;
    margin: 0;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
