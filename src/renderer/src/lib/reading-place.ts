/**
 * The reader's place in the conversation pane, read from the DOM: the first message row whose top
 * is inside the pane, and how far below the pane's top it is. Whatever moves the rows (an older page
 * loaded above, a row added below, rows measured for the first time), `restore` scrolls the pane so
 * that row is back where the reader saw it.
 *
 * Why not leave it to the virtualizer: its end anchor works from its own layout, where a row not
 * measured yet has its estimated height. Under load in CI the reader's row twice landed off by about
 * a row (32 px, a day divider's estimate; 53 px, a bubble), which the DOM-based place corrects
 * whatever the virtualizer's reason was.
 *
 * Only the reader's scrolling takes a new place. The window's own writes (its own and the
 * virtualizer's, which go through `scrollTo`) are told apart by the position they left.
 */
export class ReadingPlace {
  private place: { id: number; top: number } | null = null;
  private wrote: number | null = null;

  /** The message id of the row the place is kept by, to keep it drawn. */
  get id(): number | null {
    return this.place?.id ?? null;
  }

  /** Scrolls the pane on the window's behalf. */
  scrollTo(el: HTMLElement, top: number, behavior?: ScrollBehavior): void {
    el.scrollTo({ top, behavior });
    // Not read back from the element, which would force a layout on every write (an agent run
    // writes once a frame): past the end the browser clamps, and the event then reads as the
    // reader's, at the end, where the window follows anyway.
    this.wrote = Math.max(0, top);
  }

  /** A scroll event: true when the reader scrolled (and the place is taken anew), false for the window's own write. */
  scrolled(el: HTMLElement): boolean {
    if (this.wrote !== null && Math.abs(el.scrollTop - this.wrote) <= 1) return false;
    this.wrote = null;
    this.place = firstSeen(el);
    return true;
  }

  /** Keeps the place by this message's row, where it is now (a step opened in it grows below its top). */
  keepBy(el: HTMLElement, id: number): void {
    const li = rowOf(el, id);
    if (li) this.place = { id, top: li.getBoundingClientRect().top - el.getBoundingClientRect().top };
  }

  /** No place to keep until the reader scrolls again (the window moved on purpose). */
  forget(): void {
    this.place = null;
  }

  /** Puts the place's row back where the reader left it, when it is drawn and has moved. */
  restore(el: HTMLElement): void {
    if (!this.place) return;
    const li = rowOf(el, this.place.id);
    if (!li) return;
    const moved = li.getBoundingClientRect().top - el.getBoundingClientRect().top - this.place.top;
    if (Math.abs(moved) >= 1) this.scrollTo(el, el.scrollTop + moved);
  }
}

function rowOf(el: HTMLElement, id: number): HTMLElement | null {
  return el.querySelector<HTMLElement>(`li[data-message-id="${id}"]`);
}

/** The first message row whose top is in the pane; else the one the pane's top edge cuts through. */
function firstSeen(el: HTMLElement): { id: number; top: number } | null {
  const box = el.getBoundingClientRect();
  let cut: { id: number; top: number } | null = null;
  for (const li of el.querySelectorAll<HTMLElement>('li[data-message-id]')) {
    const r = li.getBoundingClientRect();
    if (r.bottom <= box.top) continue;
    if (r.top >= box.bottom) break;
    const place = { id: Number(li.dataset.messageId), top: r.top - box.top };
    if (r.top >= box.top) return place;
    cut ??= place;
  }
  return cut;
}
