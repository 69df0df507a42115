import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { App, AppSnapshot } from '../app/app-types';
import './create-room-form';
import './join-link-form';
import './room-list';
import './search-panel';
import { onLinkClick } from './shell-events';
import { theme } from './theme';

/**
 * Home: my rooms and search on one side, creating and joining on the other (stacked on
 * phones, rooms first).
 */
@customElement('home-page')
export class HomePage extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
        max-width: 1100px;
        margin: 0 auto;
        padding: var(--gap) 12px 40px;
      }
      .layout {
        display: grid;
        gap: var(--gap);
        grid-template-columns: minmax(0, 1fr);
      }
      .column {
        display: grid;
        gap: var(--gap);
        align-content: start;
      }
      .waiting {
        margin-bottom: var(--gap);
      }
      .waiting a {
        color: var(--accent);
        font-weight: 600;
      }
      .column > .panel + .panel {
        margin-top: 0;
      }
      @media (min-width: 820px) {
        .layout {
          grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
        }
      }
    `,
  ];

  @property({ attribute: false }) app!: App;
  @property({ attribute: false }) snapshot!: AppSnapshot;

  override render() {
    const offline = !this.snapshot.online;
    const pending = this.snapshot.pendingJoin;
    const pendingPath = pending ? `/r/${encodeURIComponent(pending.roomId)}` : '';
    return html`
      ${
        pending && !pending.error
          ? html`<p class="notice waiting" role="status">
              A room link is waiting to be joined.
              <a
                href=${pendingPath}
                @click=${(event: MouseEvent) => onLinkClick(event, pendingPath)}
                >Continue joining</a
              >
            </p>`
          : nothing
      }
      <div class="layout">
        <div class="column">
          <section class="panel" aria-label="My rooms">
            <room-list .rooms=${this.snapshot.rooms}></room-list>
          </section>
          <section class="panel">
            <search-panel .app=${this.app}></search-panel>
          </section>
        </div>
        <div class="column">
          <section class="panel">
            <create-room-form .app=${this.app}></create-room-form>
            ${
              offline
                ? html`<p class="hint">You are offline: creating a room needs the server.</p>`
                : ''
            }
          </section>
          <section class="panel">
            <join-link-form .app=${this.app}></join-link-form>
          </section>
        </div>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'home-page': HomePage;
  }
}
