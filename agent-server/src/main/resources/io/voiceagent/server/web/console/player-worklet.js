// Gap-free playback on the audio thread: PCM chunks queue here and play back to back; 'clear'
// drops everything queued at once (tts_stop). Reports what it played and what waits.
class PlayerProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.queue = [];
    this.offset = 0;
    this.queued = 0;
    this.played = 0;
    this.underruns = 0;
    this.sinceReport = 0;
    this.port.onmessage = (e) => {
      const m = e.data;
      if (m.type === 'pcm') {
        this.queue.push(m.samples);
        this.queued += m.samples.length;
      } else if (m.type === 'clear') {
        const dropped = this.queued;
        this.queue = [];
        this.offset = 0;
        this.queued = 0;
        this.port.postMessage({ type: 'cleared', dropped, played: this.played });
      }
    };
  }

  process(inputs, outputs) {
    const out = outputs[0][0];
    let i = 0;
    const hadAudio = this.queued > 0;
    while (i < out.length && this.queue.length > 0) {
      const chunk = this.queue[0];
      const n = Math.min(out.length - i, chunk.length - this.offset);
      out.set(chunk.subarray(this.offset, this.offset + n), i);
      i += n;
      this.offset += n;
      this.queued -= n;
      this.played += n;
      if (this.offset === chunk.length) {
        this.queue.shift();
        this.offset = 0;
      }
    }
    if (hadAudio && i < out.length && this.queued === 0) {
      this.underruns++;
    }
    out.fill(0, i);
    this.sinceReport += out.length;
    if (this.sinceReport >= sampleRate / 20) {
      this.sinceReport = 0;
      this.port.postMessage({ type: 'report', played: this.played, queued: this.queued, underruns: this.underruns });
    }
    return true;
  }
}

registerProcessor('player', PlayerProcessor);
