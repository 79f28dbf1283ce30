import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

interface Props {
  label: string;
  /** Width of the pane this handle resizes, in percent of the container. */
  value: number;
  min: number;
  max: number;
  /** +1 when dragging right grows the pane (pane on the left), -1 when it shrinks it. */
  direction: 1 | -1;
  onChange: (value: number) => void;
  onCommit: (value: number) => void;
}

/** A vertical separator that resizes a pane by mouse or keyboard (arrows, Home, End). */
export function PaneSplitter({ label, value, min, max, direction, onChange, onCommit }: Props) {
  const drag = useRef<{ x: number; start: number; width: number; last: number } | null>(null);
  const clamp = (v: number) => Math.round(Math.min(max, Math.max(min, v)) * 10) / 10;

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    const container = event.currentTarget.parentElement;
    if (!container) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { x: event.clientX, start: value, width: container.getBoundingClientRect().width, last: value };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    d.last = clamp(d.start + (direction * (event.clientX - d.x) * 100) / d.width);
    onChange(d.last);
  };
  const onPointerUp = () => {
    if (drag.current) onCommit(drag.current.last);
    drag.current = null;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? 5 : 1;
    const next =
      event.key === 'ArrowLeft' ? value - direction * step : event.key === 'ArrowRight' ? value + direction * step : event.key === 'Home' ? min : event.key === 'End' ? max : null;
    if (next === null) return;
    event.preventDefault();
    event.stopPropagation();
    onChange(clamp(next));
    onCommit(clamp(next));
  };

  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
