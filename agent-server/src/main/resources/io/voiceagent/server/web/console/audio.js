// The page's audio: one AudioContext at the session rate, microphone capture through an
// AudioWorklet (20 ms PCM16 blocks), and a worklet player that plays agent PCM gap-free and drops
// it at once on clear().

export class AudioEngine {
  constructor(sampleRate, { onBlock, onPlayerReport }) {
    this.sampleRate = sampleRate;
    this.onBlock = onBlock;
    this.onPlayerReport = onPlayerReport;
    this.context = null;
    this.player = null;
    this.capture = null;
    this.stream = null;
  }

  async open() {
    if (this.context) {
      return;
    }
    this.context = new AudioContext({ sampleRate: this.sampleRate, latencyHint: 'interactive' });
    await this.context.audioWorklet.addModule('/console/capture-worklet.js');
    await this.context.audioWorklet.addModule('/console/player-worklet.js');
    this.player = new AudioWorkletNode(this.context, 'player', { numberOfInputs: 0, outputChannelCount: [1] });
    this.player.port.onmessage = (e) => this.onPlayerReport(e.data);
    this.player.connect(this.context.destination);
  }

  async startMicrophone() {
    await this.open();
    await this.context.resume();
    if (this.stream) {
      return;
    }
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
    const source = this.context.createMediaStreamSource(this.stream);
    // One (silent) output connected to the destination: the graph renders only what leads there.
    this.capture = new AudioWorkletNode(this.context, 'capture', { numberOfOutputs: 1, outputChannelCount: [1] });
    this.capture.port.onmessage = (e) => this.onBlock(e.data);
    source.connect(this.capture);
    this.capture.connect(this.context.destination);
  }

  stopMicrophone() {
    if (this.stream) {
      this.stream.getTracks().forEach((t) => t.stop());
      this.stream = null;
    }
    if (this.capture) {
      this.capture.disconnect();
      this.capture = null;
    }
  }

  /** Queues agent PCM16 (an ArrayBuffer) for playback. */
  play(buffer) {
    if (!this.player) {
      return;
    }
    const pcm = new Int16Array(buffer);
    const samples = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) {
      samples[i] = pcm[i] / 32768;
    }
    this.player.port.postMessage({ type: 'pcm', samples }, [samples.buffer]);
  }

  /** Drops all queued playback now. */
  clear() {
    if (this.player) {
      this.player.port.postMessage({ type: 'clear' });
    }
  }
}
