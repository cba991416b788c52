/**
 * EmailModel → the plain-text body: the same facts as the HTML, laid out for a text-only client
 * or a phone's notification preview.
 */
import type { Block, EmailModel } from './model.ts';

function colon(language: EmailModel['language']): string {
  return language === 'zh-CN' ? '：' : ': ';
}

function block(b: Block, language: EmailModel['language']): string[] {
  const sep = colon(language);
  switch (b.kind) {
    case 'heading':
      return ['', language === 'zh-CN' ? `【${b.text}】` : b.text.toUpperCase()];
    case 'paragraph':
      return [b.text, ''];
    case 'facts':
    case 'summary':
      return [...b.rows.map((r) => `${r.label}${sep}${r.value}`), ''];
    case 'table': {
      // Two columns read as "label: amount"; wider tables as one line per row.
      const line = (cells: readonly string[]) =>
        cells.length === 2 ? `${cells[0]}${sep}${cells[1]}` : `- ${cells.filter((c) => c !== '').join(' · ')}`;
      const rows = b.rows.map(line);
      if (b.footer !== undefined) rows.push(line(b.footer));
      return [...(b.caption === undefined ? [] : [b.caption]), ...rows, ''];
    }
    case 'items':
      return [
        ...b.items.flatMap((it, i) => {
          const head = `${b.numbered === true ? `${i + 1}.` : '-'} ${it.title}${it.aside === undefined ? '' : ` — ${it.aside}`}`;
          return [head, ...it.details.map((d) => `   ${d}`)];
        }),
        '',
      ];
    case 'button':
      return [`${b.label}${sep}${b.url}`, ''];
    case 'bars':
      // The bar as block characters, 20 for the widest, so a text-only reader still sees the shape.
      return [
        ...(b.caption === undefined ? [] : [b.caption]),
        ...b.rows.map((r) => `${'█'.repeat(Math.max(1, Math.round(r.share * 20))).padEnd(20, ' ')} ${r.label}${sep}${r.value}`),
        '',
      ];
  }
}

/** The plain-text body of the email. */
export function toText(model: EmailModel): string {
  const lines = [
    `Silkroute · ${model.banner}`,
    '',
    model.greeting,
    '',
    ...model.blocks.flatMap((b) => block(b, model.language)),
    '--',
    ...model.footer,
  ];
  // Collapse the blank lines that adjacent blocks produce.
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
