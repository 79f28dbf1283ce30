// Two invisible sample rows, laid out while the list waits for its first page, so that the
// fonts a row uses and the shell does not (bold name and preview, the badge, the chips) are
// looked up then. In a fresh window each new face and size is a synchronous request to the
// browser process from inside layout: 0.5-1 ms of waiting each, three or more of them in the
// layout of the first rows (bench: ui, first mount, trace FontCache::GetFontPlatformData). The
// emoji does the same for the fallback font that previews with emoji need.
// Not text for anyone: hidden from assistive technology and never painted.
export function RowFontWarmup() {
  return (
    <div className="row-font-warmup" aria-hidden="true">
      {[' unread', ''].map((unread) => (
        <div key={unread} className={`conversation${unread}`}>
          <div className="row-top">
            <span className="name">Aa</span>
            <span className="time">0</span>
          </div>
          <div className="row-bottom">
            <span className="preview">
              Aa 🙂 <em>Aa</em>
            </span>
            <span className="chip">Aa</span>
            <span className="badge">0</span>
          </div>
        </div>
      ))}
    </div>
  );
}
