import { contentDisposition, neutraliseFileName } from './file-name';

describe('neutraliseFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\win.ini', 'win.ini'],
    ['C:\\Users\\marie\\rapport final.docx', 'rapport final.docx'],
    ['CON.txt', '_CON.txt'],
    ['lpt1', '_lpt1'],
    ['aux.tar.gz', '_aux.tar.gz'],
    ['console.txt', 'console.txt'],
    ['facture\u202Efdp.exe', 'facturefdp.exe'],
    ['a\u2066b\u200Bc\uFEFF.txt', 'abc.txt'],
    ['tab\tnew\nline\u0000.txt', 'tabnewline.txt'],
    ['.....', 'fichier'],
    ['.htaccess', 'htaccess'],
    ['nom. . .', 'nom'],
    ['what?<is>:this|"*.txt', 'what__is__this___.txt'],
    ['', 'fichier'],
    [undefined, 'fichier'],
    ['/', 'fichier'],
    ['e\u0301te\u0301.txt', 'été.txt'],
    ['\ud800orphan.txt', '\ufffdorphan.txt'],
  ])('%p becomes %p', (given, expected) => {
    expect(neutraliseFileName(given)).toBe(expected);
  });

  it('trims to 255 UTF-8 bytes, keeping the extension and whole characters', () => {
    const ascii = neutraliseFileName(`${'a'.repeat(400)}.pdf`);
    expect(ascii).toBe(`${'a'.repeat(251)}.pdf`);
    const accented = neutraliseFileName(`${'é'.repeat(300)}.xlsx`);
    expect(Buffer.byteLength(accented)).toBeLessThanOrEqual(255);
    expect(accented).toMatch(/^é+\.xlsx$/);
    const emoji = neutraliseFileName('😀'.repeat(100));
    expect(Buffer.byteLength(emoji)).toBeLessThanOrEqual(255);
    expect(emoji).toBe('😀'.repeat(63));
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact name, percent-encoded', () => {
    expect(contentDisposition('Compte rendu été.pdf')).toBe(`attachment; filename="Compte rendu ete.pdf"; filename*=UTF-8''Compte%20rendu%20%C3%A9t%C3%A9.pdf`);
    expect(contentDisposition("l'an (2025)*.txt")).toBe(`attachment; filename="l'an (2025)*.txt"; filename*=UTF-8''l%27an%20%282025%29%2A.txt`);
    expect(contentDisposition('报告.pdf')).toBe(`attachment; filename="__.pdf"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf`);
    expect(contentDisposition('a%b;c.txt')).toMatch(/^attachment; filename="a_b_c\.txt"; /);
  });
});
