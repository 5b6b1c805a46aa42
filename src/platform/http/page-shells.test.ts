import { describe, expect, it } from 'vitest';
import { PageShells } from './page-shells.ts';

const layout = (marks: { content: string; csrfToken: string; nonce: string }, title: string) =>
  `<title>${title}</title><form><input value="${marks.csrfToken}"></form>` +
  `<main>${marks.content}</main><form><input value="${marks.csrfToken}"></form>` +
  `<script nonce="${marks.nonce}"></script>`;

describe('PageShells', () => {
  it('renders a layout once per key and puts each request’s own parts where the marks were', () => {
    const shells = new PageShells();
    let renders = 0;
    const render = (marks: Parameters<typeof layout>[0]) => {
      renders += 1;
      return layout(marks, 'Caseload');
    };
    const first = shells.fill('a', render, { content: '<p>One</p>', csrfToken: 't1', nonce: 'n1' });
    const second = shells.fill('a', render, { content: '<p>Two</p>', csrfToken: 't2', nonce: 'n2' });
    expect(renders).toBe(1);
    expect(first).toBe(
      '<title>Caseload</title><form><input value="t1"></form><main><p>One</p></main>' +
        '<form><input value="t1"></form><script nonce="n1"></script>',
    );
    expect(second).toContain('<main><p>Two</p></main>');
    expect(second.match(/value="t2"/g)).toHaveLength(2);
    expect(second).toContain('nonce="n2"');
    shells.fill('b', render, { content: '', csrfToken: '', nonce: '' });
    expect(renders).toBe(2);
  });

  it('takes nothing a person typed for a mark: the marks are this process’s own random text', () => {
    const shells = new PageShells();
    const typed = 'greenleafcsrf0000 greenleafcontent';
    const html = shells.fill('k', (marks) => `<h1>${typed}</h1>${marks.content}`, {
      content: '<p>x</p>',
      csrfToken: 'secret',
      nonce: 'n',
    });
    expect(html).toBe(`<h1>${typed}</h1><p>x</p>`);
    expect(new PageShells().marks.csrfToken).not.toBe(shells.marks.csrfToken);
  });

  it('refuses a layout that would show no content', () => {
    expect(() =>
      new PageShells().fill('k', () => '<p>nothing</p>', { content: 'x', csrfToken: 't', nonce: 'n' }),
    ).toThrow(/no content/);
  });
});
