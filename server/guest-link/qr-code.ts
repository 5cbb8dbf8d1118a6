
/** The link as a QR code, made on this computer (no web service): a PNG data URL and an SVG document. */
export async function guestLinkQr(url: string): Promise<{ readonly png: string; readonly svg: string }> {
  // Loaded on first use, not at start.
  const { default: QRCode } = await import('qrcode');
  const options = { errorCorrectionLevel: 'M', margin: 2 } as const;
  const [png, svg] = await Promise.all([QRCode.toDataURL(url, { ...options, width: 600 }), QRCode.toString(url, { ...options, type: 'svg' })]);
  return { png, svg };
}
