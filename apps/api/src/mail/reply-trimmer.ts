/**
 * Cuts the quoted history from a reply so the ticket shows what was written, not the whole
 * thread again (the full message stays available). Recognises the separators of Outlook,
 * Gmail, Thunderbird and Apple Mail, in French and English.
 */
const SEPARATORS: RegExp[] = [
  /^-{2,}\s*(original message|message d'origine|message original|forwarded message|message transféré)\s*-{2,}/i,
  /^_{10,}\s*$/,
  // Gmail / Thunderbird / Apple Mail: "Le lun. 3 nov. 2026 à 10:12, Marie <m@x> a écrit :" (may wrap on two lines)
  /^(le|on)\s.{4,200}(a écrit|wrote)\s*:?\s*$/i,
  // Outlook: "De : Marie Dupont <...>" followed by "Envoyé :" / "From: ..." followed by "Sent:"
  /^(de|from)\s*:\s*.+$/i,
];

export function trimQuotedReply(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const next = (lines[i + 1] ?? '').trim();
    const joined = `${line} ${next}`;
    if (SEPARATORS[0]!.test(line) || SEPARATORS[1]!.test(line)) {
      cut = i;
      break;
    }
    if (SEPARATORS[2]!.test(line) || (/^(le|on)\s/i.test(line) && SEPARATORS[2]!.test(joined))) {
      cut = i;
      break;
    }
    if (SEPARATORS[3]!.test(line) && /^(envoyé|sent|date)\s*:/i.test(next)) {
      cut = i;
      break;
    }
    // A block of '>' quoted lines that runs to the end (signatures aside) is history.
    if (line.startsWith('>') && lines.slice(i).every((l) => l.trim() === '' || l.trim().startsWith('>'))) {
      cut = i;
      break;
    }
  }
  const kept = lines.slice(0, cut).join('\n').replace(/\s+$/, '');
  // Never show an empty reply because of a false separator on the first line.
  return kept.trim() ? kept : text.trim();
}
