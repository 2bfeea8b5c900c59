import { FormEvent, PointerEvent, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { ErrorNote, Field } from './ui';

/**
 * A signature drawn with mouse, pen or finger, sent as a PNG. The name beside it is typed, so a
 * keyboard user can fill everything but the drawing; the service also accepts a typed signature
 * where the signer cannot draw (the engineer's, below the pad).
 */
export function SignaturePad({ defaultName, onSign }: { defaultName?: string; onSign: (png: Blob, name: string) => Promise<void> }) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const [inked, setInked] = useState(false);
  const [name, setName] = useState(defaultName ?? '');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const point = (e: PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * e.currentTarget.width) / r.width, y: ((e.clientY - r.top) * e.currentTarget.height) / r.height };
  };
  const down = (e: PointerEvent<HTMLCanvasElement>) => {
    const ctx = e.currentTarget.getContext('2d')!;
    e.currentTarget.setPointerCapture(e.pointerId);
    drawing.current = true;
    const p = point(e);
    ctx.lineWidth = 2.5;
    ctx.lineCap = 'round';
    ctx.strokeStyle = '#111';
    ctx.beginPath();
    ctx.moveTo(p.x, p.y);
  };
  const move = (e: PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    const ctx = e.currentTarget.getContext('2d')!;
    const p = point(e);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    setInked(true);
  };
  const up = () => {
    drawing.current = false;
  };
  const clear = () => {
    const c = canvas.current!;
    c.getContext('2d')!.clearRect(0, 0, c.width, c.height);
    setInked(false);
  };
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!inked) return setError(new Error(t('sign.empty')));
    setBusy(true);
    setError(undefined);
    try {
      const png = await new Promise<Blob>((r, j) => canvas.current!.toBlob((b) => (b ? r(b) : j(new Error('no image'))), 'image/png'));
      await onSign(png, name.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="signature" onSubmit={(e) => void submit(e)}>
      <canvas
        ref={canvas}
        width={480}
        height={160}
        role="img"
        aria-label={t('sign.pad')}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerLeave={up}
      />
      <div className="row">
        <Field label={t('sign.name')}>{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required />}</Field>
        <button type="button" onClick={clear}>
          {t('sign.clear')}
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {t('sign.submit')}
        </button>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}
