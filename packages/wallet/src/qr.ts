/**
 * QR codes as PNG, for the vCard photo of an address (docs/behaviour.md §5).
 * Error correction "H" (30 %) so a scaled-down avatar still scans.
 */
import QRCode from "qrcode";

export function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: "png", errorCorrectionLevel: "H" });
}
