// The web console: one WebSocket session (/ws), the microphone in, the agent's speech out, the live
// transcript, the streaming answer, VAD and latency figures. Counters are kept in window.voiceConsole.stats
// (the browser tests read them).
import { command, flags, audioFrame, energyOf } from './protocol.js';
import { AudioEngine } from './audio.js';

const $ = (id) => document.getElementById(id);
const SILENCE_DBFS = -50;

const stats = {
  messages: 0, partials: 0, finals: 0, lastFinal: '', ttsStarts: 0, ttsEnds: 0, ttsStops: 0,
  audioMessages: 0, audioBytes: 0, audioAfterStop: 0, samplesPlayed: 0, samplesQueued: 0,
  clears: 0, queuedDroppedOnStop: 0, blocksCaptured: 0, blocksSent: 0, playerReports: 0, errors: [], lastRound: 0, underruns: 0,
};
const state = { socket: null, sessionId: null, sampleRate: 16000, listening: false, engine: null,
  afterStop: false, firstBlock: true, clockStart: performance.now(), answers: new Map() };
window.voiceConsole = { stats, state };

function setBadge(id, text, cls) {
  const el = $(id);
  el.textContent = text;
  el.className = 'badge' + (cls ? ' ' + cls : '');
}

function send(text) {
  if (state.socket && state.socket.readyState === WebSocket.OPEN) {
    state.socket.send(text);
  }
}

function onBlock(pcm) {
  stats.blocksCaptured++;
  const { energy, dbfs } = energyOf(pcm);
  $('level').style.width = Math.round((energy / 255) * 100) + '%';
  const silence = dbfs < SILENCE_DBFS;
  setBadge('mic-silence', silence ? 'silence' : 'sound', silence ? '' : 'on');
  if (!state.listening) {
    return;
  }
  const ts = Math.round(performance.now() - state.clockStart);
  send(audioFrame(ts, flags(energy, silence, state.firstBlock), pcm));
  state.firstBlock = false;
  stats.blocksSent++;
}

function onPlayerReport(m) {
  if (m.type === 'report') {
    stats.playerReports++;
    stats.samplesPlayed = m.played;
    stats.samplesQueued = m.queued;
    stats.underruns = m.underruns;
    setBadge('speaking', m.queued > 0 ? 'speaking' : 'idle', m.queued > 0 ? 'on' : '');
  } else if (m.type === 'cleared') {
    stats.clears++;
    stats.queuedDroppedOnStop += m.dropped;
    stats.samplesQueued = 0;
    setBadge('speaking', 'idle');
  }
}

function roundRow(id) {
  let row = document.querySelector(`#rounds tr[data-round="${id}"]`);
  if (!row) {
    row = document.createElement('tr');
    row.dataset.round = id;
    row.innerHTML = `<td>${id}</td><td class="reason"></td><td class="stt"></td><td class="token"></td><td class="audio"></td>`;
    $('rounds').querySelector('tbody').prepend(row);
  }
  return row;
}

function fmt(ms) {
  return ms === undefined || ms === null ? '-' : Math.round(ms).toString();
}

function item(listId, text) {
  const li = document.createElement('li');
  li.textContent = text;
  $(listId).prepend(li);
}

function onMessage(m) {
  stats.messages++;
  switch (m.type) {
    case 'status':
      state.sessionId = m.session_id;
      if (m.sample_rate) {
        state.sampleRate = m.sample_rate;
        $('rate').textContent = `${m.sample_rate} Hz, session ${m.session_id.slice(0, 8)}`;
      }
      state.listening = m.status === 'listening';
      setBadge('status', m.status, state.listening ? 'on' : '');
      break;
    case 'vad':
      setBadge('vad', m.state === 'speech_started' ? 'speaking' : 'silent', m.state === 'speech_started' ? 'on' : '');
      break;
    case 'partial_transcript':
      stats.partials++;
      $('partial').textContent = m.content;
      break;
    case 'final_transcript':
      stats.finals++;
      stats.lastFinal = m.content;
      $('partial').textContent = '';
      item('finals', m.content);
      $('final-last') && ($('final-last').textContent = m.content);
      break;
    case 'llm_status':
      stats.lastRound = m.round_id;
      roundRow(m.round_id);
      $('answer').textContent = '';
      break;
    case 'llm_response':
      if (m.is_complete) {
        item('answers', m.content);
        $('answer').textContent = '';
      } else {
        $('answer').textContent += m.content;
      }
      break;
    case 'tts_start':
      stats.ttsStarts++;
      state.afterStop = false;
      if (state.engine) {
        state.engine.open().then(() => state.engine.context.resume());
      }
      break;
    case 'tts_end':
      stats.ttsEnds++;
      break;
    case 'tts_stop':
      stats.ttsStops++;
      state.afterStop = true;
      if (state.engine) {
        state.engine.clear();
      }
      break;
    case 'round_end': {
      const row = roundRow(m.round_id);
      row.querySelector('.reason').textContent = m.reason;
      row.querySelector('.stt').textContent = fmt(m.latency_ms.final_transcript);
      row.querySelector('.token').textContent = fmt(m.latency_ms.first_token);
      row.querySelector('.audio').textContent = fmt(m.latency_ms.first_audio);
      break;
    }
    case 'error':
      stats.errors.push(m.message);
      item('errors', m.message);
      break;
    default:
      break; // interrupt_acknowledged, stop_acknowledged, and types this page does not know
  }
}

function onAudio(buffer) {
  stats.audioMessages++;
  stats.audioBytes += buffer.byteLength;
  if (state.afterStop) {
    stats.audioAfterStop++; // must stay 0: the server sends nothing of a round after its tts_stop
    return;
  }
  if (state.engine) {
    state.engine.play(buffer);
  }
}

function connect() {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => setBadge('connection', 'connected', 'on');
  ws.onclose = (e) => {
    setBadge('connection', `closed ${e.code}`, 'warn');
    state.listening = false;
    setBadge('status', 'stopped');
  };
  ws.onmessage = (e) => {
    if (typeof e.data === 'string') {
      onMessage(JSON.parse(e.data));
    } else {
      onAudio(e.data);
    }
  };
  state.socket = ws;
}

function engine() {
  if (!state.engine) {
    state.engine = new AudioEngine(state.sampleRate, { onBlock, onPlayerReport });
  }
  return state.engine;
}

$('start').onclick = async () => {
  try {
    await engine().startMicrophone();
    state.firstBlock = true;
    send(command('start'));
  } catch (e) {
    stats.errors.push('microphone: ' + e);
    item('errors', 'microphone: ' + e);
  }
};
$('stop').onclick = () => {
  send(command('stop'));
  if (state.engine) {
    state.engine.clear();
    state.engine.stopMicrophone();
  }
};
$('reset').onclick = () => {
  send(command('reset'));
  $('finals').textContent = '';
  $('answers').textContent = '';
};
$('interrupt').onclick = () => send(command('interrupt'));
$('text-form').onsubmit = async (e) => {
  e.preventDefault();
  const text = $('text').value.trim();
  if (text) {
    await engine().open();
    await state.engine.context.resume();
    send(command('text_input', { text }));
    $('text').value = '';
  }
};

connect();
