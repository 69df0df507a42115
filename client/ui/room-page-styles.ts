// Layout of the room screen: header and banners on top, the conversation, and the members
// beside it on wide screens or folded under "People" on narrow ones (360 px phones).
import { css } from 'lit';

export const roomPageStyles = css`
  :host {
    display: block;
    /* --room-top is where the page starts (set from JS): only the messages scroll. */
    height: calc(100dvh - var(--room-top, 0px));
    min-height: 420px;
    padding: 12px;
  }
  .layout {
    height: 100%;
    display: grid;
    gap: 12px;
    grid-template-columns: minmax(0, 1fr) 300px;
    grid-template-rows: auto minmax(0, 1fr);
    grid-template-areas:
      'top top'
      'chat people';
    max-width: 1200px;
    margin: 0 auto;
  }
  /* The grid spaces the panels (the theme's stacked-panel margin would add to it). */
  .layout > .panel {
    margin: 0;
  }
  .top {
    grid-area: top;
    padding: 12px 14px;
  }
  /* Margins, not a grid gap: banners and notices that are not there take no room. */
  .top > p {
    margin: 10px 0 0;
  }
  .chat {
    grid-area: chat;
    display: flex;
    flex-direction: column;
    min-height: 0;
    padding: 10px;
    gap: 6px;
  }
  message-list {
    flex: 1;
  }
  .typing {
    min-height: 1.2em;
    margin: 0 4px;
    font-size: 0.82rem;
    color: var(--accent);
  }
  /*
   * NOTE: no backdrop blur behind what scrolls: re-blurring on every scrolled frame cost
   * 60-100 ms a frame in software-rendered Chromium (p50 98 ms -> 17 ms without it). The
   * panels stay translucent; only the header keeps the frosted look.
   */
  .chat,
  .people {
    backdrop-filter: none;
    -webkit-backdrop-filter: none;
  }
  .people {
    grid-area: people;
    overflow-y: auto;
    min-height: 0;
  }
  .people h2 {
    font-size: 1rem;
  }
  .opening {
    text-align: center;
    color: var(--text-dim);
    margin-top: 20vh;
  }
  .failed {
    max-width: 520px;
    margin: 10vh auto 0;
    display: grid;
    gap: 12px;
  }
  @media (max-width: 860px) {
    :host {
      padding: 6px;
    }
    .layout {
      grid-template-columns: minmax(0, 1fr);
      grid-template-areas:
        'top'
        'chat';
      gap: 8px;
    }
    /* Members fold away on narrow screens; "People" shows them over the conversation. */
    .people {
      display: none;
    }
    .members-shown .people {
      display: block;
      grid-area: chat;
      z-index: 1;
      background: #141a30;
    }
    /* Banners never push the conversation off a phone screen: they scroll instead. */
    .top {
      padding: 8px 10px;
      max-height: 40dvh;
      overflow-y: auto;
    }
  }
`;
