// A QR code drawn as one SVG path: no canvas, no data URL, no style attribute, so it scales
// crisply and passes the strict CSP. The text is encoded on this device only.
import { LitElement, css, svg, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import qrcode from 'qrcode-generator';

/** Quiet zone around the code, in modules (the QR spec asks for 4). */
const QUIET_ZONE = 4;

/** The SVG path of every dark module of `text`'s QR code, and the size of the square. */
export function qrPath(text: string): { d: string; size: number } {
  // Type 0 picks the smallest version that fits; level M survives a little smudge.
  const code = qrcode(0, 'M');
  code.addData(text, 'Byte');
  code.make();
  const count = code.getModuleCount();
  const parts: string[] = [];
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (code.isDark(row, col)) parts.push(`M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`);
    }
  }
  return { d: parts.join(''), size: count + QUIET_ZONE * 2 };
}

@customElement('qr-code')
export class QrCode extends LitElement {
  static override styles = css`
    :host {
      display: block;
      width: 100%;
      max-width: 240px;
    }
    svg {
      display: block;
      width: 100%;
      height: auto;
      border-radius: 8px;
    }
  `;

  /** What the code encodes. */
  @property() text = '';
  /** The accessible name of the image. */
  @property() label = 'QR code';

  override render() {
    if (!this.text) return nothing;
    const { d, size } = qrPath(this.text);
    // Dark modules on white, whatever the theme: phone cameras expect that contrast.
    return html`<svg
      role="img"
      aria-label=${this.label}
      viewBox="0 0 ${size} ${size}"
      shape-rendering="crispEdges"
      xmlns="http://www.w3.org/2000/svg"
    >
      ${svg`<rect width=${size} height=${size} fill="#ffffff"></rect>
        <path d=${d} fill="#000000"></path>`}
    </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'qr-code': QrCode;
  }
}
