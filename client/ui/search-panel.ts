import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { App, SearchHit } from '../app/app-types';
import { describeError, onLinkClick } from './shell-events';
import { formatWhen } from './format-when';
import { theme } from './theme';

/** Wait this long after the last keystroke: searching decrypts every stored message. */
const TYPING_PAUSE_MS = 250;

/**
 * The "Search" box: finds stored messages across all rooms (on this device only) and lists
 * them newest first; choosing one opens its room.
 * @fires navigate - '/r/ROOM_ID'
 */
@customElement('search-panel')
export class SearchPanel extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 12px 0 0;
        padding: 0;
        display: grid;
        gap: 6px;
        max-height: 50vh;
        overflow-y: auto;
      }
      a {
        display: grid;
        gap: 2px;
        padding: 8px 12px;
        border-radius: 10px;
        color: var(--text);
        text-decoration: none;
        background: rgba(255, 255, 255, 0.03);
      }
      a:hover {
        background: rgba(255, 255, 255, 0.08);
      }
      .meta {
        color: var(--text-dim);
        font-size: 0.8rem;
      }
      .text {
        overflow-wrap: anywhere;
      }
      mark {
        background: rgba(122, 162, 255, 0.35);
        color: inherit;
        border-radius: 3px;
      }
    `,
  ];

  @property({ attribute: false }) app!: App;

  @state() private _query = '';
  @state() private _hits: SearchHit[] | null = null;
  @state() private _error = '';
  @state() private _busy = false;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  /** Only the newest query's answer is shown, whatever order answers arrive in. */
  private _generation = 0;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this._timer);
  }

  override render() {
    return html`
      <form role="search" @submit=${this._onSubmit}>
        <h2 id="search-title">Search messages</h2>
        <label class="visually-hidden" for="search-box">Search</label>
        <input
          id="search-box"
          type="text"
          enterkeyhint="search"
          autocomplete="off"
          placeholder="Search all rooms on this device"
          .value=${this._query}
          @input=${this._onInput}
        />
      </form>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : nothing}
      ${this._renderHits()}
    `;
  }

  private _renderHits() {
    if (this._hits === null) return nothing;
    const query = this._query.trim();
    return html`
      <p class="hint" role="status">
        ${
          this._busy
            ? 'Searching…'
            : this._hits.length === 0
              ? `No stored message contains “${query}”.`
              : `${this._hits.length} message${this._hits.length === 1 ? '' : 's'} found.`
        }
      </p>
      ${
        this._hits.length > 0
          ? html`<ul aria-label="Search results">
              ${this._hits.map((hit) => {
                const path = `/r/${encodeURIComponent(hit.roomId)}`;
                return html`<li>
                  <a href=${path} @click=${(event: MouseEvent) => onLinkClick(event, path)}>
                    <span class="meta"
                      >${hit.roomName} · ${hit.message.displayName} ·
                      ${formatWhen(hit.message.sentAt)}</span
                    >
                    <span class="text">${highlight(hit.message.text, query)}</span>
                  </a>
                </li>`;
              })}
            </ul>`
          : nothing
      }
    `;
  }

  private _onInput(event: Event): void {
    this._query = (event.target as HTMLInputElement).value;
    clearTimeout(this._timer);
    this._timer = setTimeout(() => void this._search(), TYPING_PAUSE_MS);
  }

  private _onSubmit(event: Event): void {
    event.preventDefault();
    clearTimeout(this._timer);
    void this._search();
  }

  private async _search(): Promise<void> {
    const query = this._query.trim();
    const generation = ++this._generation;
    this._error = '';
    if (!query) {
      this._hits = null;
      return;
    }
    this._busy = true;
    this._hits ??= [];
    try {
      const hits = await this.app.search(query);
      if (generation === this._generation) this._hits = hits;
    } catch (error) {
      if (generation === this._generation) this._error = describeError(error);
    } finally {
      if (generation === this._generation) this._busy = false;
    }
  }
}

/** The text with each case-insensitive match of the query in <mark> (still plain text). */
function highlight(text: string, query: string) {
  const lower = text.toLowerCase();
  // Some letters change length when lower-cased; then indexes would not line up.
  if (!query || lower.length !== text.length) return text;
  const needle = query.toLowerCase();
  const parts: unknown[] = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, from)) {
    parts.push(text.slice(from, at), html`<mark>${text.slice(at, at + needle.length)}</mark>`);
    from = at + needle.length;
  }
  parts.push(text.slice(from));
  return parts;
}

declare global {
  interface HTMLElementTagNameMap {
    'search-panel': SearchPanel;
  }
}
