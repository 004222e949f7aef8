import { useMemo } from 'react';
import qrcode from 'qrcode-generator';

/** A QR code drawn in the browser (no request leaves the page): the secret never goes to a third party. */
export function QrImage({ text, alt, size = 200 }: { text: string; alt: string; size?: number }) {
  const src = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(text);
    qr.make();
    const cell = Math.max(2, Math.floor(size / (qr.getModuleCount() + 8)));
    return qr.createDataURL(cell, cell * 4);
  }, [text, size]);
  return <img src={src} alt={alt} width={size} height={size} style={{ imageRendering: 'pixelated', background: '#fff' }} data-testid="totp-qr" />;
}
