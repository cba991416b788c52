/**
 * EmailModel → HTML that survives real mail clients: tables for layout, inline styles only (Gmail
 * and QQ Mail strip most <style>, Outlook ignores max-width, hence the MSO-only fixed table), one
 * column that reads at phone width (≈375 px) and stops growing at 640 px on a desktop.
 */
import type { Block, EmailModel, Item, Tone } from './model.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const FONT =
  "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',Arial,'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC',sans-serif";

const TONES: Record<Tone, { fg: string; bg: string; border: string }> = {
  normal: { fg: '#1f2937', bg: '#ffffff', border: '#d1d5db' },
  good: { fg: '#065f46', bg: '#ecfdf5', border: '#10b981' },
  warn: { fg: '#7c2d12', bg: '#fffbeb', border: '#f59e0b' },
  bad: { fg: '#7f1d1d', bg: '#fef2f2', border: '#ef4444' },
  muted: { fg: '#4b5563', bg: '#f9fafb', border: '#d1d5db' },
};

const BANNER_BG: Record<Tone, string> = {
  normal: '#0f766e',
  good: '#0f766e',
  warn: '#b45309',
  bad: '#b91c1c',
  muted: '#374151',
};

const e = escapeHtml;

function heading(text: string): string {
  return `<h2 style="margin:28px 0 10px;padding:0 0 6px;font-size:17px;line-height:1.4;font-weight:700;color:#111827;border-bottom:1px solid #e5e7eb;">${e(text)}</h2>`;
}

function paragraph(text: string, tone: Tone = 'normal'): string {
  if (tone === 'normal') return `<p style="margin:0 0 12px;">${e(text)}</p>`;
  const t = TONES[tone];
  return `<p style="margin:0 0 12px;padding:10px 12px;border-left:4px solid ${t.border};background:${t.bg};color:${t.fg};">${e(text)}</p>`;
}

function facts(rows: readonly { label: string; value: string; strong?: boolean }[]): string {
  const body = rows
    .map(
      (r) =>
        `<tr><td valign="top" style="padding:5px 12px 5px 0;width:34%;color:#6b7280;font-size:14px;">${e(r.label)}</td>` +
        `<td valign="top" style="padding:5px 0;${r.strong === true ? 'font-weight:700;color:#111827;' : ''}">${e(r.value)}</td></tr>`,
    )
    .join('');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin:0 0 8px;">${body}</table>`;
}

function summary(rows: readonly { label: string; value: string }[], tone: Tone): string {
  const t = TONES[tone];
  const body = rows
    .map(
      (r) =>
        `<tr><td style="padding:6px 14px;"><div style="font-size:13px;color:#6b7280;">${e(r.label)}</div>` +
        `<div style="font-size:18px;line-height:1.4;font-weight:700;color:#111827;">${e(r.value)}</div></td></tr>`,
    )
    .join('');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:separate;margin:4px 0 14px;background:${t.bg};border:1px solid ${t.border};border-radius:6px;"><tr><td style="padding:6px 0;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">${body}</table></td></tr></table>`;
}

function table(block: Extract<Block, { kind: 'table' }>): string {
  const cell = (text: string, i: number, extra: string) => {
    const align = block.columns[i]?.align ?? 'left';
    const nowrap = align === 'right' ? 'white-space:nowrap;' : '';
    return `<td align="${align}" valign="top" style="padding:7px 8px;border-bottom:1px solid #e5e7eb;${nowrap}${extra}">${e(text)}</td>`;
  };
  const head = `<tr>${block.columns
    .map(
      (c) =>
        `<th align="${c.align}" style="padding:7px 8px;background:#f3f4f6;color:#4b5563;font-size:13px;font-weight:600;border-bottom:1px solid #e5e7eb;${c.align === 'right' ? 'white-space:nowrap;' : ''}">${e(c.title)}</th>`,
    )
    .join('')}</tr>`;
  const rows = block.rows.map((r) => `<tr>${r.map((c, i) => cell(c, i, '')).join('')}</tr>`).join('');
  const footer =
    block.footer === undefined
      ? ''
      : `<tr>${block.footer.map((c, i) => cell(c, i, 'font-weight:700;color:#111827;border-top:2px solid #9ca3af;border-bottom:0;')).join('')}</tr>`;
  const caption =
    block.caption === undefined ? '' : `<p style="margin:10px 0 4px;font-size:14px;font-weight:600;color:#111827;">${e(block.caption)}</p>`;
  return `${caption}<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin:0 0 12px;font-size:14px;">${head}${rows}${footer}</table>`;
}

function item(it: Item, index: number | undefined, listTone: Tone): string {
  const t = TONES[it.tone ?? listTone];
  const number = index === undefined ? '' : `${index + 1}. `;
  const aside =
    it.aside === undefined
      ? ''
      : `<td align="right" valign="top" style="padding:0 0 0 8px;white-space:nowrap;font-weight:700;color:#111827;">${e(it.aside)}</td>`;
  const details = it.details
    .map((d) => `<div style="margin:3px 0 0;font-size:14px;color:${t.fg};">${e(d)}</div>`)
    .join('');
  return (
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:separate;margin:0 0 8px;">` +
    `<tr><td style="padding:8px 12px;border-left:4px solid ${t.border};background:${t.bg};">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>` +
    `<td valign="top" style="font-weight:600;color:#111827;">${e(number + it.title)}</td>${aside}</tr></table>` +
    `${details}</td></tr></table>`
  );
}

/** A link styled as a button: a padded table cell, which Outlook renders too (it ignores padding on <a>). */
function button(label: string, url: string): string {
  return (
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:16px 0;"><tr>` +
    `<td style="border-radius:6px;background:#0f766e;"><a href="${e(url)}" target="_blank" style="display:inline-block;padding:12px 22px;font-size:16px;font-weight:700;color:#ffffff;text-decoration:none;border-radius:6px;">${e(label)}</a></td>` +
    `</tr></table>`
  );
}

const BAR_COLOR: Record<Tone, string> = { normal: '#2f6fb3', good: '#3a9d5d', warn: '#e0a030', bad: '#c0392b', muted: '#b0b7c3' };

/** Bars as table cells: a coloured cell of the bar's width beside an empty one of the rest. */
function bars(b: Extract<Block, { kind: 'bars' }>): string {
  const rows = b.rows
    .map((r) => {
      const pct = Math.max(1, Math.min(100, Math.round(r.share * 100)));
      const bar =
        `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>` +
        `<td width="${pct}%" height="14" bgcolor="${BAR_COLOR[r.tone ?? 'normal']}" style="background:${BAR_COLOR[r.tone ?? 'normal']};font-size:0;line-height:0;">&nbsp;</td>` +
        (pct < 100 ? `<td width="${100 - pct}%" style="font-size:0;line-height:0;">&nbsp;</td>` : '') +
        `</tr></table>`;
      return (
        `<tr><td style="padding:4px 8px 4px 0;font-size:13px;color:#374151;white-space:nowrap;">${e(r.label)}</td>` +
        `<td width="55%" style="padding:4px 0;">${bar}</td>` +
        `<td align="right" style="padding:4px 0 4px 8px;font-size:13px;white-space:nowrap;font-variant-numeric:tabular-nums;">${e(r.value)}</td></tr>`
      );
    })
    .join('');
  const caption = b.caption === undefined ? '' : `<div style="margin:12px 0 4px;font-weight:600;color:#111827;">${e(b.caption)}</div>`;
  return `${caption}<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 12px;">${rows}</table>`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return heading(b.text);
    case 'paragraph':
      return paragraph(b.text, b.tone);
    case 'facts':
      return facts(b.rows);
    case 'summary':
      return summary(b.rows, b.tone);
    case 'table':
      return table(b);
    case 'items':
      return b.items.map((it, i) => item(it, b.numbered === true ? i : undefined, b.tone ?? 'normal')).join('');
    case 'button':
      return button(b.label, b.url);
    case 'bars':
      return bars(b);
  }
}

/** The HTML body of the email. */
export function toHtml(model: EmailModel): string {
  const lang = model.language;
  return [
    '<!DOCTYPE html>',
    `<html lang="${lang}" xmlns="http://www.w3.org/1999/xhtml">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="x-apple-disable-message-reformatting">',
    '<meta name="format-detection" content="telephone=no, date=no, address=no">',
    `<title>${e(model.subject)}</title>`,
    '</head>',
    `<body style="margin:0;padding:0;background:#f3f4f6;-webkit-text-size-adjust:100%;">`,
    // The preheader: shown by inbox lists under the subject, hidden in the message itself.
    `<div style="display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;">${e(model.preheader)}</div>`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6;">`,
    `<tr><td align="center" style="padding:16px 8px;">`,
    `<!--[if mso]><table role="presentation" width="640" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:640px;background:#ffffff;border:1px solid #e5e7eb;border-radius:8px;font-family:${FONT};font-size:15px;line-height:1.6;color:#1f2937;">`,
    `<tr><td style="padding:14px 20px;background:${BANNER_BG[model.bannerTone]};border-radius:8px 8px 0 0;color:#ffffff;font-size:15px;font-weight:700;">Silkroute · ${e(model.banner)}</td></tr>`,
    `<tr><td style="padding:18px 20px 8px;">`,
    paragraph(model.greeting),
    ...model.blocks.map(block),
    `</td></tr>`,
    `<tr><td style="padding:12px 20px 18px;border-top:1px solid #e5e7eb;color:#6b7280;font-size:12px;line-height:1.5;">`,
    model.footer.map((line) => `<div>${e(line)}</div>`).join(''),
    `</td></tr>`,
    `</table>`,
    `<!--[if mso]></td></tr></table><![endif]-->`,
    `</td></tr></table>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
