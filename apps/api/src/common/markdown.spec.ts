import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('ends a list at an unindented line instead of gluing the line to the last bullet', () => {
    expect(renderMarkdown('- lait\n- pain\nMerci d’avance')).toBe('<ul>\n<li>lait</li>\n<li>pain</li>\n</ul>\n<p>Merci d’avance</p>\n');
    expect(renderMarkdown('1. ouvrir\n2) fermer\nFin')).toContain('</ol>\n<p>Fin</p>');
  });

  it('keeps an indented line in its bullet, and line breaks inside a paragraph', () => {
    expect(renderMarkdown('- lait\n  demi-écrémé\n- pain')).toBe('<ul>\n<li>lait<br>\ndemi-écrémé</li>\n<li>pain</li>\n</ul>\n');
    expect(renderMarkdown('Bonjour,\nle site est lent.')).toBe('<p>Bonjour,<br>\nle site est lent.</p>\n');
  });

  it('leaves fenced code as written', () => {
    expect(renderMarkdown('```\n- a\nb\n```')).toBe('<pre><code>- a\nb\n</code></pre>\n');
  });

  it('escapes raw HTML and refuses script links', () => {
    const html = renderMarkdown('<img src=x onerror=alert(1)> [x](javascript:alert(1))');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('href="javascript:');
  });

  it('opens links in a new tab without giving it the opener', () => {
    expect(renderMarkdown('https://www.culture.gouv.fr')).toContain('rel="noopener noreferrer nofollow" target="_blank"');
  });
});
