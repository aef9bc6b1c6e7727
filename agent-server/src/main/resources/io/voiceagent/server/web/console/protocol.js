// The seed-002 protocol: commands, microphone frames, and the session's messages.

/** A JSON command of the client. */
export function command(type, fields = {}) {
  return JSON.stringify({ type, ...fields });
}

/** Status flags of a microphone block: bits 0-7 energy 0-255, bit 8 silence, bit 9 first block. */
export function flags(energy, silence, firstBlock) {
  return (Math.max(0, Math.min(255, energy | 0))) | (silence ? 1 << 8 : 0) | (firstBlock ? 1 << 9 : 0);
}

/** One binary message: [uint32 LE timestamp ms][uint32 LE flags][PCM16 LE mono]. */
export function audioFrame(timestampMs, flagBits, pcm16) {
  const buf = new ArrayBuffer(8 + pcm16.byteLength);
  const view = new DataView(buf);
  view.setUint32(0, timestampMs >>> 0, true);
  view.setUint32(4, flagBits >>> 0, true);
  new Int16Array(buf, 8).set(pcm16);
  return buf;
}

/** Energy 0-255 of a block of PCM16 (RMS on a dB scale: -80 dBFS -> 0, 0 dBFS -> 255) and its dBFS. */
export function energyOf(pcm16) {
  let sum = 0;
  for (let i = 0; i < pcm16.length; i++) {
    sum += pcm16[i] * pcm16[i];
  }
  const rms = Math.sqrt(sum / Math.max(1, pcm16.length)) / 32768;
  const dbfs = rms > 0 ? 20 * Math.log10(rms) : -100;
  return { energy: Math.round(Math.max(0, Math.min(1, (dbfs + 80) / 80)) * 255), dbfs };
}
