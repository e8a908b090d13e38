import MarkdownIt from 'markdown-it';

// Raw HTML is escaped, not rendered; markdown-it refuses javascript:, vbscript: and file: links.
const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('rel', 'noopener noreferrer nofollow');
  tokens[idx]!.attrSet('target', '_blank');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** Markdown written by users, rendered to HTML that is safe to show as is. */
export function renderMarkdown(text: string): string {
  return md.render(text);
}
