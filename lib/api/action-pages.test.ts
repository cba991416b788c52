import { describe, expect, it } from 'vitest';
import { renderActionPage } from './action-pages.ts';

describe('action pages', () => {
  it('the confirmation page changes nothing by itself: its only action is a POST form', () => {
    const html = renderActionPage({ kind: 'confirm', orderName: '#1042', postUrl: '/actions/abc.def' }, 'zh-CN');
    expect(html).toContain('<form method="post" action="/actions/abc.def">');
    expect(html).toContain('重新为订单 #1042 选择发货路线');
    expect(html).not.toMatch(/<a\s|http-equiv="refresh"|<script/);
  });

  it('an already used link says so with when, in the seller\'s language', () => {
    expect(renderActionPage({ kind: 'already-used', orderName: '#1042', usedAt: '2026-12-03 09:15' }, 'en')).toContain(
      'This link was already used (2026-12-03 09:15); order #1042 is not rerouted again.',
    );
  });

  it('a link that cannot be trusted gets both languages and no form', () => {
    const html = renderActionPage({ kind: 'invalid' }, undefined);
    expect(html).toContain('这个链接无效');
    expect(html).toContain('This link is not valid');
    expect(html).not.toContain('<form');
  });

  it('escapes what it shows', () => {
    expect(renderActionPage({ kind: 'done', orderName: '<b>#1</b>' }, 'en')).toContain('&lt;b&gt;#1&lt;/b&gt;');
  });
});
