import { useEffect, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

const unescape = (s: string) => s.replace(/\\([\\`*_{}[\]()<>#+\-!|~&])/g, '$1');

/** The export's Markdown, laid out for paper: headings, details, quoted messages. All text, no HTML. */
function lines(markdown: string): ReactNode[] {
  return markdown.split('\n').map((line, i) => {
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    if (heading) {
      const text = unescape(heading[2] ?? '');
      return heading[1] === '#' ? <h1 key={i}>{text}</h1> : heading[1] === '##' ? <h2 key={i}>{text}</h2> : <h3 key={i}>{text}</h3>;
    }
    if (line.startsWith('> ')) return <blockquote key={i}>{unescape(line.slice(2))}</blockquote>;
    const sender = /^\*\*(.*)\*\*(.*)$/.exec(line);
    if (sender) {
      return (
        <p key={i} className="print-sender">
          <strong>{unescape(sender[1] ?? '')}</strong>
          {unescape(sender[2] ?? '')}
        </p>
      );
    }
    return line ? <p key={i}>{unescape(line)}</p> : null;
  });
}

/**
 * The export's print view (PDF: the system print dialog's "Save as PDF"): the exported
 * conversations alone on the page while printing.
 */
export function PrintView({ text, title, onDone }: { text: string; title: string; onDone: () => void }) {
  useEffect(() => {
    const done = () => onDone();
    window.addEventListener('afterprint', done);
    // After this render is on screen, so the print shows the text.
    const frame = requestAnimationFrame(() => window.print());
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('afterprint', done);
    };
  }, [onDone]);
  return createPortal(
    <article className="print-view" aria-label={title}>
      {lines(text)}
    </article>,
    document.body,
  );
}
