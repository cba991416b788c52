/**
 * The email as structured content, before it becomes HTML or plain text. Both bodies are
 * rendered from this one model, so the plain text cannot drift from the HTML: every fact
 * appears in both or in neither. Every string here is plain text; the HTML renderer escapes.
 */
import type { Language } from './labels.ts';

export type Tone = 'normal' | 'good' | 'warn' | 'bad' | 'muted';

export interface Fact {
  readonly label: string;
  readonly value: string;
  readonly strong?: boolean;
}

export interface Item {
  readonly title: string;
  /** Right of the title in HTML, after it in text: a total, a status. */
  readonly aside?: string;
  readonly details: readonly string[];
  readonly tone?: Tone;
}

export type Block =
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string; readonly tone?: Tone }
  | { readonly kind: 'facts'; readonly rows: readonly Fact[] }
  /** The few facts an exporter scans for first (route, total, delivery), shown large. */
  | { readonly kind: 'summary'; readonly rows: readonly Fact[]; readonly tone: Tone }
  | {
      readonly kind: 'table';
      /** A line above the table naming what it is about (a split's shipment). */
      readonly caption?: string;
      readonly columns: readonly { readonly title: string; readonly align: 'left' | 'right' }[];
      readonly rows: readonly (readonly string[])[];
      /** A bold last row (a total). */
      readonly footer?: readonly string[];
    }
  | { readonly kind: 'items'; readonly items: readonly Item[]; readonly numbered?: boolean; readonly tone?: Tone }
  /** A one-click link as a button (HTML) or the label and the URL (text). */
  | { readonly kind: 'button'; readonly label: string; readonly url: string }
  /**
   * A bar chart that needs no image: mail clients strip inline SVG and block remote images, but
   * every one of them draws a table cell's width and background. `share` is 0–1 of the widest.
   */
  | { readonly kind: 'bars'; readonly caption?: string; readonly rows: readonly Bar[] };

export interface Bar {
  readonly label: string;
  /** The figure beside the bar (formatted money). */
  readonly value: string;
  readonly share: number;
  readonly tone?: Tone;
}

export interface EmailModel {
  readonly language: Language;
  readonly subject: string;
  /** The line an inbox shows under the subject. */
  readonly preheader: string;
  /** The banner: what kind of email this is. */
  readonly banner: string;
  readonly bannerTone: Tone;
  readonly greeting: string;
  readonly blocks: readonly Block[];
  readonly footer: readonly string[];
}
