import MarkdownIt from 'markdown-it';

// Raw HTML is escaped, not rendered; markdown-it refuses javascript:, vbscript: and file: links.
const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'noopener noreferrer nofollow');
  tokens[idx]!.attrSet('target', '_blank');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

const LIST_ITEM = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * CommonMark reads an unindented line right after a bullet as the bullet's own text ("lazy
 * continuation"), so "- milk\nThanks" shows "Thanks" inside the list. People writing a ticket mean
 * a new paragraph: a blank line is put before it. Indented lines still continue the item, and
 * fenced code is left alone.
 */
export function endListsAtUnindentedLines(text: string): string {
  const out: string[] = [];
  let inList = false;
  let fence: string | null = null;
  let previousBlank = true;
  for (const line of text.split(/\r\n?|\n/)) {
    const blank = line.trim() === '';
    if (fence) {
      if (line.trimStart().startsWith(fence)) fence = null;
    } else if (FENCE.test(line)) {
      fence = FENCE.exec(line)![1]!;
      inList = false;
    } else if (LIST_ITEM.test(line)) {
      inList = true;
    } else if (!blank && !/^[ \t]/.test(line)) {
      if (inList && !previousBlank) out.push('');
      inList = false;
    }
    out.push(line);
    previousBlank = blank;
  }
  return out.join('\n');
}

/** Markdown written by users, rendered to HTML that is safe to show as is. */
export function renderMarkdown(text: string): string {
  return md.render(endListsAtUnindentedLines(text));
}
