/** 64-bit products without BigInt (MULT/MULTU/MADD high words): a 16-bit split. */

/** 32-bit high word of the unsigned 64-bit product a × b. */
export function mulhu(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}
/** High word of the signed 64-bit product. */
export function mulhs(a: number, b: number): number {
  let h = mulhu(a >>> 0, b >>> 0);
  if (a < 0) h = (h - b) | 0;
  if (b < 0) h = (h - a) | 0;
  return h;
}
