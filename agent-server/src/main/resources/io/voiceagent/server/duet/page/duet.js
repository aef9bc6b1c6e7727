// The duet page: one WebSocket at /ws/{session_id} (seed 003's protocol). Both agents' cards are
// editable (set_agent), the conversation appears as it happens with whose turn it is, each turn's
// WAV plays in order (a queue: never two at once), stop_audio silences the current one and drops
// the queue, typed text goes as user_text, the microphone as user_audio chunks of 16 kHz PCM16.
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const sessionId = params.get('session') || localStorage.getItem('duet-session')
  || ('s' + Math.random().toString(36).slice(2, 10));
localStorage.setItem('duet-session', sessionId);
$('session').textContent = sessionId;

const stats = { connected: false, sessionStates: 0, agentTexts: 0, audioReceived: 0, audioPlayed: 0, stops: 0,
  audioAfterStop: 0, userAcks: 0, userSpeech: 0, transcripts: 0, oks: [], errors: [], blocksSent: 0, lastTurn: null };
window.duetPage = { stats };

let ws;
let languages = {};
const cutTurns = new Set();

function send(m) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
}

function log(text, cls) {
  const li = document.createElement('li');
  li.textContent = text;
  if (cls) li.className = cls;
  $('log').appendChild(li);
  return li;
}

// ---- playback: one turn's WAV at a time, in order ----
let audio;
const queue = [];
let playing = null;

function context() {
  if (!audio) audio = new AudioContext();
  return audio;
}

async function enqueue(turn, b64) {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const buffer = await context().decodeAudioData(bytes.buffer);
  if (cutTurns.has(turn)) return; // stopped while decoding
  queue.push({ turn, buffer });
  playNext();
}

function playNext() {
  if (playing || queue.length === 0) return;
  const { turn, buffer } = queue.shift();
  const src = context().createBufferSource();
  src.buffer = buffer;
  src.connect(context().destination);
  playing = { turn, src };
  src.onended = () => {
    if (playing && playing.src === src) playing = null;
    playNext();
  };
  src.start();
  stats.audioPlayed++;
}

function stopAudio(turn) {
  stats.stops++;
  if (turn) cutTurns.add(turn);
  queue.length = 0;
  if (playing) {
    const p = playing;
    playing = null;
    try { p.src.stop(); } catch (e) { /* already ended */ }
  }
}

// ---- cards ----
function fillCard(agent, a) {
  const card = $('card-' + agent);
  card.querySelector('.name').value = a.name;
  card.querySelector('.instructions').value = a.instructions;
  const lang = card.querySelector('.lang');
  lang.innerHTML = '';
  for (const [code, l] of Object.entries(languages)) {
    lang.add(new Option(l.name + ' (' + code + ')', code, false, code === a.lang));
  }
  fillVoices(card, a.lang, a.voice);
  card.dataset.lang = a.lang;
  card.dataset.voice = a.voice;
  card.dataset.name = a.name;
  card.dataset.instructions = a.instructions;
}

function fillVoices(card, lang, selected) {
  const voice = card.querySelector('.voice');
  voice.innerHTML = '';
  for (const v of (languages[lang] || { voices: [] }).voices) voice.add(new Option(v, v, false, v === selected));
}

for (const agent of ['A', 'B']) {
  const card = $('card-template').content.firstElementChild.cloneNode(true);
  card.id = 'card-' + agent;
  card.dataset.agent = agent;
  card.querySelector('.role').textContent = agent;
  $('agents').appendChild(card);
  card.querySelector('.lang').onchange = (e) => fillVoices(card, e.target.value, null);
  card.querySelector('.apply').onclick = () => {
    const m = { type: 'set_agent', agent };
    const name = card.querySelector('.name').value;
    const lang = card.querySelector('.lang').value;
    const voice = card.querySelector('.voice').value;
    const instructions = card.querySelector('.instructions').value;
    if (name !== card.dataset.name) m.name = name;
    if (lang !== card.dataset.lang) m.lang = lang;
    if (voice !== card.dataset.voice || m.lang) m.voice = voice;
    if (instructions !== card.dataset.instructions) m.instructions = instructions;
    send(m);
  };
}

function showTurn(agent, name) {
  for (const a of ['A', 'B']) $('card-' + a).classList.toggle('active', a === agent);
  $('turn').textContent = agent ? name + "'s turn" : '';
}

// ---- messages ----
function onMessage(m) {
  switch (m.type) {
    case 'session_state':
      stats.sessionStates++;
      languages = m.languages || {};
      fillCard('A', m.agents.A);
      fillCard('B', m.agents.B);
      $('state').textContent = m.state;
      break;
    case 'turn':
      stats.lastTurn = m.agent;
      showTurn(m.agent, m.name);
      break;
    case 'agent_text':
      stats.agentTexts++;
      log(m.name + ': ' + m.text).dataset.turn = m.turn;
      break;
    case 'agent_audio':
      stats.audioReceived++;
      if (cutTurns.has(m.turn)) { stats.audioAfterStop++; break; }
      enqueue(m.turn, m.wav_b64).catch((e) => stats.errors.push('audio: ' + e));
      break;
    case 'stop_audio':
      stopAudio(m.turn);
      for (const li of document.querySelectorAll('#log li[data-turn="' + m.turn + '"]')) li.classList.add('cut');
      break;
    case 'turn_end':
      if (m.turn === undefined || !m.interrupted) showTurn(null);
      break;
    case 'user_text_ack':
      stats.userAcks++;
      log('You: ' + m.text, 'user');
      break;
    case 'user_transcript':
      stats.transcripts++;
      log('You (spoken): ' + m.text, 'user');
      break;
    case 'user_speech_started':
      stats.userSpeech++;
      break;
    case 'duet_ended':
      showTurn(null);
      $('state').textContent = 'ended: ' + m.reason;
      break;
    case 'ok':
      stats.oks.push(m.what);
      if (m.what === 'duet_started') $('state').textContent = 'running';
      if (m.what === 'stopped') { $('state').textContent = 'idle'; showTurn(null); }
      if (m.what === 'reset') { $('log').innerHTML = ''; $('state').textContent = 'idle'; showTurn(null); }
      break;
    case 'error':
      stats.errors.push(m.message);
      $('errors').textContent += m.message + '\n';
      break;
    default:
      break;
  }
}

function connect() {
  ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/'
    + encodeURIComponent(sessionId));
  ws.onopen = () => { stats.connected = true; $('connection').textContent = 'connected'; };
  ws.onmessage = (e) => onMessage(JSON.parse(e.data));
  ws.onclose = () => {
    stats.connected = false;
    $('connection').textContent = 'reconnecting';
    setTimeout(connect, 1000); // the same session id: the server gives the same duet back
  };
}

$('start').onclick = () => { context().resume(); send({ type: 'start_duet' }); };
$('stop').onclick = () => send({ type: 'stop' });
$('interrupt').onclick = () => send({ type: 'interrupt' });
$('reset').onclick = () => send({ type: 'reset' });
$('send').onclick = () => {
  const text = $('text').value.trim();
  if (text) send({ type: 'user_text', text });
  $('text').value = '';
};
$('text').onkeydown = (e) => { if (e.key === 'Enter') $('send').onclick(); };

// ---- microphone: 16 kHz PCM16, 100 ms per user_audio message ----
let mic = null;
$('mic').onclick = async () => {
  if (mic) {
    mic.stream.getTracks().forEach((t) => t.stop());
    await mic.context.close();
    mic = null;
    $('mic').textContent = 'Microphone on';
    return;
  }
  try {
    const ctx = new AudioContext({ sampleRate: 16000 });
    await ctx.audioWorklet.addModule('/duet/capture-worklet.js');
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
    const node = new AudioWorkletNode(ctx, 'capture', { numberOfOutputs: 1, outputChannelCount: [1] });
    let pending = [];
    node.port.onmessage = (e) => {
      pending.push(e.data);
      if (pending.length < 5) return; // 5 x 20 ms
      const all = new Int16Array(pending.reduce((n, b) => n + b.length, 0));
      let off = 0;
      for (const b of pending) { all.set(b, off); off += b.length; }
      pending = [];
      const bytes = new Uint8Array(all.buffer);
      let bin = '';
      for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
      send({ type: 'user_audio', pcm16_b64: btoa(bin) });
      stats.blocksSent++;
    };
    ctx.createMediaStreamSource(stream).connect(node);
    node.connect(ctx.destination);
    mic = { ctx, context: ctx, stream };
    $('mic').textContent = 'Microphone off';
  } catch (e) {
    stats.errors.push('microphone: ' + e);
    $('errors').textContent += 'microphone: ' + e + '\n';
  }
};

connect();
